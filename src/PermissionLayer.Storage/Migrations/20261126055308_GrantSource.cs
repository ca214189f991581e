using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <inheritdoc />
    public partial class GrantSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "grants",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_grants_source",
                table: "grants",
                column: "source",
                filter: "source IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_grants_source",
                table: "grants");

            migrationBuilder.DropColumn(
                name: "source",
                table: "grants");
        }
    }
}
