using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Console.Tests;

/// <summary>
/// A real server (real PostgreSQL, silo, gRPC) with keys of each role and decisions in its audit
/// log, made through the public API as a FHIR server and an admin would make them.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string Client = "console-app";
    public const string Doctor = "Practitioner/dr-console";
    public const string Pager = "Practitioner/dr-pager";
    public const int PagerDecisions = 55;

    private ServerHost? _host;

    public ServerHost Host => _host ?? throw new InvalidOperationException("the server has not started");
    public string BaseAddress => $"http://127.0.0.1:{Host.HttpPort}";
    public string AuditorKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public string PepKey { get; private set; } = "";
    public string BothKey { get; private set; } = "";
    public string PermitId { get; private set; } = "";
    public string DenyId { get; private set; } = "";
    public string BreakGlassId { get; private set; } = "";

    public AuditService.AuditServiceClient Audit => new(Host.Channel);
    public AdminService.AdminServiceClient Admin => new(Host.Channel);

    public async ValueTask InitializeAsync()
    {
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("console"));
        AuditorKey = await Host.CreateKeyAsync("console-auditor", CallerRoles.Auditor);
        AdminKey = await Host.CreateKeyAsync("console-admin", CallerRoles.Admin);
        PepKey = await Host.CreateKeyAsync("console-pep", CallerRoles.Pep);
        BothKey = await Host.CreateKeyAsync("console-officer", CallerRoles.Auditor, CallerRoles.Admin);

        await Admin.CreateGrantAsync(Grant($"Client/{Client}", "*", "cruds", "in-house app"));
        await Admin.CreateGrantAsync(Grant(Doctor, "Patient/cp-1", "rs", "on the ward"));
        await Admin.CreateGrantAsync(Grant(Pager, "Patient/pg-1", "rs", "on the ward"));
        var decisions = new DecisionService.DecisionServiceClient(Host.ChannelWith(PepKey));
        var permit = Read(Doctor, "cp-1");
        permit.Token.PurposeOfUse = "TREAT";
        PermitId = (await decisions.CheckAsync(permit)).DecisionId;
        DenyId = (await decisions.CheckAsync(Read(Doctor, "cp-2"))).DecisionId;
        var emergency = Read(Doctor, "cp-1");
        emergency.Token.PurposeOfUse = "BTG";
        emergency.Token.BreakGlassReason = "unconscious in the emergency department";
        BreakGlassId = (await decisions.CheckAsync(emergency)).DecisionId;
        var batch = new CheckBatchRequest();
        batch.Entries.AddRange(Enumerable.Range(0, PagerDecisions).Select(_ => Read(Pager, "pg-1")));
        await decisions.CheckBatchAsync(batch);
    }

    public static CreateGrantRequest Grant(string principal, string target, string actions, string reason) =>
        new() { Grant = new Grant { Principal = principal, Target = target, Actions = actions, Reason = reason } };

    public static CheckRequest Read(string fhirUser, string patientId) => new()
    {
        Token = new TokenContext { ClientId = Client, FhirUser = fhirUser, Scope = "user/Patient.rs" },
        Interaction = Interaction.Read,
        ResourceType = "Patient",
        ResourceId = patientId,
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patientId } } },
    };

    public static async Task<List<T>> ReadAllAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            var items = new List<T>();
            await foreach (var item in call.ResponseStream.ReadAllAsync())
            {
                items.Add(item);
            }
            return items;
        }
    }

    public Browser NewBrowser() => new(BaseAddress);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
