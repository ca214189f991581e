using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <summary>
    /// Each consent may keep its compiled form (stamped with the build that compiled it), so that a
    /// start reads consents instead of compiling them all. Existing consents have none until the
    /// consent registry next loads them and stores theirs.
    /// </summary>
    public partial class ConsentCompiledForms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "compiled_form",
                table: "consents",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "compiled_form",
                table: "consents");
        }
    }
}
