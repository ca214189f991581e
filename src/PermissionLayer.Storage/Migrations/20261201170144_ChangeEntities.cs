using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <summary>
    /// Each change names the grain-held entities it alters (ChangedEntity), so that every silo can
    /// apply it to its own activations before reporting its revision. Changes recorded before are
    /// given theirs from their kind and subject (a consent's patient from the consent, a care team's
    /// members from the team as it now stands).
    /// </summary>
    public partial class ChangeEntities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string[]>(
                name: "entities",
                table: "entitlement_changes",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.Sql(
                """
                UPDATE entitlement_changes SET entities = ARRAY['principal:' || subject]
                WHERE kind LIKE 'grant.%' OR kind IN ('panel.imported', 'practitionerrole.imported');
                UPDATE entitlement_changes SET entities = ARRAY['client:' || substr(subject, length('Client/') + 1)]
                WHERE kind = 'client.put';
                UPDATE entitlement_changes e SET entities = ARRAY['consent:' || c.patient_id]
                FROM consents c WHERE e.kind LIKE 'consent.%' AND c.id = substr(e.subject, length('Consent/') + 1);
                UPDATE entitlement_changes SET entities = ARRAY['group:' || CASE WHEN starts_with(subject, 'Group/') THEN substr(subject, length('Group/') + 1) ELSE subject END]
                WHERE kind LIKE 'group.%';
                UPDATE entitlement_changes e SET entities = ARRAY['careteam:' || substr(e.subject, length('CareTeam/') + 1)]
                    || COALESCE((SELECT array_agg('principal:' || p) FROM care_teams t, unnest(t.participants) AS p
                                 WHERE t.id = substr(e.subject, length('CareTeam/') + 1)), ARRAY[]::text[])
                WHERE e.kind LIKE 'careteam.%';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "entities",
                table: "entitlement_changes");
        }
    }
}
