using Grpc.Core;
using Npgsql;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>Every StreamAccessiblePatients call is one audit row, written before the first page (durable mode).</summary>
public sealed class AccessiblePatientsAuditTests
{
    [Fact]
    public async Task A_stream_of_accessible_patients_writes_one_row_with_who_asked_and_how_many()
    {
        var database = await PostgresServer.CreateDatabaseAsync("audit-accessible");
        await using var host = await ServerHost.StartAsync(database);
        var admin = new AdminService.AdminServiceClient(host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/stream-doc", "Patient/sp-1"));
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/stream-doc", "Patient/sp-2"));
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/stream-doc", Scope = "user/Observation.rs", Jti = "jti-stream", PurposeOfUse = "TREAT" };

        var pages = await DecisionAuditTests.ReadAllAsync(new DecisionService.DecisionServiceClient(host.Channel).StreamAccessiblePatients(
            new AccessiblePatientsRequest { Token = token, ResourceType = "Observation", PageSize = 1 }));

        Assert.Equal(["sp-1", "sp-2"], pages.SelectMany(p => p.PatientIds));
        Assert.Equal(1, await AuditTable.CountAsync(database, "fhir_user = 'Practitioner/stream-doc'"));
        var id = await AuditTable.ScalarAsync<Guid>(database, "SELECT decision_id FROM audit.decision WHERE fhir_user = 'Practitioner/stream-doc'");
        var row = (await AuditTable.RowAsync(database, id.ToString()))!;
        Assert.Equal(Requests.TrustedClient, row["client_id"]);
        Assert.StartsWith("key:test-super/", (string)row["caller"]!);
        Assert.Equal("search-type", row["interaction"]);
        Assert.Equal("Observation", row["resource_type"]);
        Assert.Equal("permit", row["outcome"]);
        Assert.Equal("jti-stream", row["jti"]);
        Assert.Equal("TREAT", row["purpose_of_use"]);
        Assert.Equal(pages[0].Revision, row["revision"]);
        Assert.Contains("\"code\":\"accessible-patients\"", (string)row["reasons"]!);
        Assert.Contains("2 patient(s) are reachable for search-type on Observation", (string)row["reasons"]!);
    }

    [Fact]
    public async Task With_the_audit_store_down_the_stream_fails_closed_before_any_page()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("audit-accessible-down"));
        await using var relay = new TcpRelay(direct.Host!, direct.Port);
        var viaRelay = relay.Route(direct.ConnectionString);
        await using var host = await ServerHost.StartAsync(viaRelay);
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.TrustClientForAllPatients());
        await new AdminService.AdminServiceClient(host.Channel).CreateGrantAsync(Requests.Grant("Practitioner/stream-down", "Patient/sd-1"));
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        var request = new AccessiblePatientsRequest { Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/stream-down", Scope = "user/Patient.rs" } };
        Assert.Equal(["sd-1"], (await DecisionAuditTests.ReadAllAsync(decisions.StreamAccessiblePatients(request))).SelectMany(p => p.PatientIds)); // warm grains

        relay.Cut();
        var received = new List<AccessiblePatientsPage>();
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = decisions.StreamAccessiblePatients(request);
            await foreach (var page in call.ResponseStream.ReadAllAsync())
            {
                received.Add(page);
            }
        });
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Empty(received);
    }
}
