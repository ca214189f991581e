using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <summary>
    /// Care-team participants keep their own periods (FHIR CareTeam.participant.period), checked at
    /// each decision. Teams stored before took every participant for the team's whole period.
    /// </summary>
    public partial class CareTeamParticipations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "participations",
                table: "care_teams",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.Sql(
                """
                UPDATE care_teams SET participations = COALESCE(
                    (SELECT jsonb_agg(jsonb_build_object('member', p, 'start', NULL, 'end', NULL)) FROM unnest(participants) AS p),
                    '[]'::jsonb)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "participations",
                table: "care_teams");
        }
    }
}
