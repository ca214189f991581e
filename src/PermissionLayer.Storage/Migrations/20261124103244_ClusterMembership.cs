using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PermissionLayer.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ClusterMembership : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Orleans cluster membership, our own schema (PostgresMembershipTable).
            migrationBuilder.Sql("""
                CREATE TABLE cluster_versions (
                    cluster_id text PRIMARY KEY,
                    version integer NOT NULL,
                    etag text NOT NULL
                );
                CREATE TABLE cluster_members (
                    cluster_id text NOT NULL REFERENCES cluster_versions (cluster_id) ON DELETE CASCADE,
                    address text NOT NULL,
                    port integer NOT NULL,
                    generation integer NOT NULL,
                    silo_name text NOT NULL,
                    host_name text NOT NULL,
                    status integer NOT NULL,
                    proxy_port integer NOT NULL,
                    suspect_times text NOT NULL,
                    start_time timestamptz NOT NULL,
                    i_am_alive_time timestamptz NOT NULL,
                    etag text NOT NULL,
                    PRIMARY KEY (cluster_id, address, port, generation)
                );
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE cluster_members; DROP TABLE cluster_versions;");
        }
    }
}
