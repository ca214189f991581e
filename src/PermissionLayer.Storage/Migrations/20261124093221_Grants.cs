using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Grants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "grants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    principal = table.Column<string>(type: "text", nullable: false),
                    target = table.Column<string>(type: "text", nullable: false),
                    actions = table.Column<string>(type: "text", nullable: false),
                    resource_types = table.Column<string[]>(type: "text[]", nullable: false),
                    purposes = table.Column<string[]>(type: "text[]", nullable: false),
                    valid_from = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    valid_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reason = table.Column<string>(type: "text", nullable: false),
                    granted_by = table.Column<string>(type: "text", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_revision = table.Column<long>(type: "bigint", nullable: true),
                    revoke_reason = table.Column<string>(type: "text", nullable: true),
                    revoked_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grants", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_grants_principal",
                table: "grants",
                column: "principal");

            migrationBuilder.CreateIndex(
                name: "ix_grants_target",
                table: "grants",
                column: "target");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "grants");
        }
    }
}
