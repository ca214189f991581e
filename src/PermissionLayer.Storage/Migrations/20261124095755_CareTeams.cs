using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CareTeams : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "care_teams",
                columns: table => new
                {
                    id = table.Column<string>(type: "text", nullable: false),
                    subject_patient_id = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    period_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    period_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    participants = table.Column<string[]>(type: "text[]", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_care_teams", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_care_teams_participants",
                table: "care_teams",
                column: "participants")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_care_teams_subject",
                table: "care_teams",
                column: "subject_patient_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "care_teams");
        }
    }
}
