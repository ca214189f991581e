using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Gateway.Tests.Support;

/// <summary>
/// One of everything, shared by every test class of the collection: a decision server (PostgreSQL,
/// Orleans), the Node FHIR server loaded with <see cref="ClinicalData"/>, a token issuer, and the
/// gateway in front. Entitlements are the seed scenarios:
/// <list type="bullet">
/// <item>Dr Alice (offline practitioner app <c>demo-app</c>, trusted for every patient) has the panel <see cref="Panel"/>;</item>
/// <item><c>g9245-app</c> is registered for Group/g9245 only, whose members are <see cref="GroupMembers"/>;</item>
/// <item>patient <see cref="OptedOut"/> (on the panel) has opted out of sharing.</item>
/// </list>
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string Alice = "Practitioner/dr-alice";
    public const string DemoApp = "demo-app";
    public const string GroupApp = "g9245-app";
    public static readonly IReadOnlyList<string> Panel = [.. Enumerable.Range(0, 30).Select(ClinicalData.Patient)];
    public static readonly IReadOnlyList<string> GroupMembers = [.. Enumerable.Range(100, 10).Select(ClinicalData.Patient)];
    public static readonly string OptedOut = ClinicalData.Patient(5);

    private ServerHost? _server;
    private UpstreamFhirServer? _upstream;
    private TokenIssuer? _issuer;
    private GatewayHost? _gateway;

    public ServerHost Server => _server!;
    public UpstreamFhirServer Upstream => _upstream!;
    public TokenIssuer Issuer => _issuer!;
    public GatewayHost Gateway => _gateway!;
    public string PepKey { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _issuer = await TokenIssuer.StartAsync();
        var upstream = Task.Run(async () =>
        {
            var server = await UpstreamFhirServer.StartAsync(SmartConfiguration(_issuer.Issuer));
            await server.LoadAsync(ClinicalData.All());
            return server;
        });
        var connectionString = await PostgresServer.CreateDatabaseAsync("gateway");
        _server = await ServerHost.StartAsync(connectionString);
        PepKey = await _server.CreateKeyAsync("gateway-pep", "pep");
        await SeedAsync(new AdminService.AdminServiceClient(_server.Channel));
        _upstream = await upstream;
        _gateway = await GatewayHost.StartAsync(_upstream.BaseUrl, _server.GrpcPort, PepKey, _issuer.Issuer);
    }

    /// <summary>A valid token for the gateway: <paramref name="scope"/>, the client, the user and any other claims.</summary>
    public string Token(string scope, string clientId = DemoApp, string? fhirUser = Alice, IReadOnlyDictionary<string, object>? claims = null, string kid = "rs-1")
    {
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>()) { ["scope"] = scope, ["client_id"] = clientId };
        if (fhirUser is not null)
        {
            all["fhirUser"] = fhirUser;
        }
        return Issuer.Issue(Gateway.BaseUrl, all, kid);
    }

    /// <summary>What a FHIR server publishes about its authorization server ({base}: the FHIR server's base URL).</summary>
    private static string SmartConfiguration(string issuer) => new JsonObject
    {
        ["issuer"] = issuer,
        ["jwks_uri"] = issuer + "/jwks",
        ["authorization_endpoint"] = issuer + "/authorize",
        ["token_endpoint"] = issuer + "/token",
        ["management_endpoint"] = "{base}manage",
        ["capabilities"] = new JsonArray("launch-standalone", "permission-v2"),
    }.ToJsonString();

    private static async Task SeedAsync(AdminService.AdminServiceClient admin)
    {
        var changes = new ApplyChangesRequest();
        foreach (var patient in Panel)
        {
            changes.Changes.Add(new BatchChange { CreateGrant = Grant(Alice, "Patient/" + patient, "cruds", "on Dr Alice's panel") });
        }
        changes.Changes.Add(new BatchChange { CreateGrant = Grant("Client/" + DemoApp, "*", "cruds", "in-house app for all patients") });
        changes.Changes.Add(new BatchChange { CreateGrant = Grant("Client/" + GroupApp, "Group/g9245", "rs", "registered for Group/g9245 only") });
        await admin.ApplyChangesAsync(changes);
        var members = new ChangeGroupMembersRequest { GroupId = "g9245", Reason = "gateway test roster" };
        members.Upsert.AddRange(GroupMembers.Select(p => new GroupMember { PatientId = p }));
        await admin.ChangeGroupMembersAsync(members);
        await admin.PutConsentAsync(new PutConsentRequest
        {
            ConsentId = "optout-" + OptedOut,
            ConsentJson = OptOutConsent(OptedOut).ToJsonString(),
            Reason = "signed at admission",
        });
    }

    private static CreateGrantRequest Grant(string principal, string target, string actions, string reason) =>
        new() { Grant = new Grant { Principal = principal, Target = target, Actions = actions, Reason = reason } };

    /// <summary>An opt-out: OPTOUT base, nothing permitted.</summary>
    private static JsonObject OptOutConsent(string patient) => new()
    {
        ["resourceType"] = "Consent",
        ["id"] = "optout-" + patient,
        ["status"] = "active",
        ["scope"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/consentscope", ["code"] = "patient-privacy" }) },
        ["category"] = new JsonArray(new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "59284-0" }) }),
        ["patient"] = ClinicalData.Reference(patient),
        ["policyRule"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = ClinicalData.ActCode, ["code"] = "OPTOUT" }) },
        ["provision"] = new JsonObject { ["type"] = "deny" },
    };

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
