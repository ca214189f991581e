using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <inheritdoc />
    public partial class EntitlementChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "entitlement_changes",
                columns: table => new
                {
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    reason = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_entitlement_changes", x => x.revision);
                });

            migrationBuilder.CreateIndex(
                name: "ix_entitlement_changes_at",
                table: "entitlement_changes",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_entitlement_changes_subject",
                table: "entitlement_changes",
                columns: new[] { "subject", "revision" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "entitlement_changes");
        }
    }
}
