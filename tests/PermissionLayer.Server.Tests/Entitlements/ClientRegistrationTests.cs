using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// Client registrations over real gRPC, silo and PostgreSQL: a suspended client is denied, scopes
/// beyond the registered ceiling grant nothing, and bad registrations are rejected by field.
/// </summary>
public sealed class ClientRegistrationTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    private async Task Register(string client, string status, string ceiling) =>
        await _admin.PutClientRegistrationAsync(new PutClientRegistrationRequest
        {
            ClientId = client, Name = $"{client} app", Status = status, ScopeCeiling = ceiling, Reason = "onboarding",
        });

    private async Task TrustedFor(string client, string user)
    {
        await _admin.CreateGrantAsync(Requests.Grant($"Client/{client}", "*", "cruds", "in-house app"));
        await _admin.CreateGrantAsync(Requests.Grant(user, "*"));
    }

    [Fact]
    public async Task Suspended_client_is_denied_and_reinstated_client_is_permitted()
    {
        await TrustedFor("night-app", "Practitioner/night");
        await Register("night-app", "suspended", "user/*.rs");

        var denied = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/night", "p1", clientId: "night-app"));
        Assert.Equal(Outcome.Deny, denied.Outcome);
        var reason = Assert.Single(denied.Reasons);
        Assert.Equal((Term.Client, "client.suspended"), (reason.Term, reason.Code));

        await Register("night-app", "active", "user/*.rs");
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/night", "p1", clientId: "night-app"))).Outcome);
    }

    [Fact]
    public async Task Token_scopes_beyond_the_ceiling_grant_nothing()
    {
        await TrustedFor("labs-app", "Practitioner/labs");
        await Register("labs-app", "active", "user/Patient.rs");
        const string broadToken = "openid fhirUser user/Patient.rs user/Observation.rs";

        var patient = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/labs", "p2", broadToken, "labs-app"));
        Assert.Equal(Outcome.Permit, patient.Outcome);
        Assert.Contains(patient.Reasons, r => r.Code == "client.ceiling" && r.Message.Contains("user/Observation.rs"));

        var observation = new CheckRequest
        {
            Token = new TokenContext { ClientId = "labs-app", FhirUser = "Practitioner/labs", Scope = broadToken },
            Interaction = Interaction.Read,
            ResourceType = "Observation",
            ResourceId = "obs-p2",
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { "p2" } } },
        };
        var denied = await _decisions.CheckAsync(observation);
        Assert.Equal(Outcome.Deny, denied.Outcome);
        Assert.Equal(Term.Scope, Assert.Single(denied.Reasons, r => r.Outcome == Outcome.Deny).Term);
    }

    [Fact]
    public async Task Registration_reads_back_with_its_revision()
    {
        await Register("reader-app", "active", "patient/*.rs launch/patient");
        var read = await _admin.GetClientRegistrationAsync(new GetClientRegistrationRequest { ClientId = "reader-app" });
        Assert.Equal(("reader-app app", "active", "patient/*.rs launch/patient"), (read.Name, read.Status, read.ScopeCeiling));
        Assert.True(read.Revision > 0);

        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await _admin.GetClientRegistrationAsync(new GetClientRegistrationRequest { ClientId = "never-registered" }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("active", "user/Observation.xyz", "scope_ceiling")]
    [InlineData("active", "openid fhirUser", "scope_ceiling")]
    [InlineData("paused", "user/*.rs", "status")]
    public async Task Bad_registration_is_rejected_naming_the_field(string status, string ceiling, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Register("bad-app", status, ceiling));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field, error.Status.Detail);
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await _admin.GetClientRegistrationAsync(new GetClientRegistrationRequest { ClientId = "bad-app" }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}
