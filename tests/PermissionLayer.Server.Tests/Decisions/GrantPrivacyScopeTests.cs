using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Decisions;

/// <summary>
/// A grant's clearance, sensitivity categories and break-the-glass apply only to the patients that
/// grant reaches (issue 13, class 3): a V/HIV/break-glass grant to one patient, or to a group, clears
/// nothing about a patient reached through a plain grant — for users, for system clients, and in the
/// labels a search must exclude. Before the fix each PERMIT below was given for the plain patient too.
/// </summary>
public sealed class GrantPrivacyScopeTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string Confidential = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R";
    private const string Hiv = "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV";
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Cleared("Practitioner/gp-direct", "Patient/gp-a"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/gp-direct", "Patient/gp-b"));

        await _admin.ChangeGroupMembersAsync(new ChangeGroupMembersRequest { GroupId = "gp-ward", Upsert = { new GroupMember { PatientId = "gp-a" } }, Reason = "ward" });
        await _admin.CreateGrantAsync(Cleared("Practitioner/gp-group", "Group/gp-ward"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/gp-group", "Patient/gp-b"));

        await _admin.CreateGrantAsync(Cleared("Client/gp-system", "Patient/gp-a"));
        await _admin.CreateGrantAsync(Requests.Grant("Client/gp-system", "Patient/gp-b"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CreateGrantRequest Cleared(string principal, string target)
    {
        var request = Requests.Grant(principal, target);
        request.Grant.Clearance = "V";
        request.Grant.SensitivityCategories.Add("HIV");
        request.Grant.BreakGlass = true;
        return request;
    }

    private static CheckRequest ReadLabelled(string? user, string patient, string label, string client = Requests.TrustedClient, string scope = "user/Observation.rs")
    {
        var request = new CheckRequest
        {
            Token = new TokenContext { ClientId = client, FhirUser = user ?? "", Scope = scope },
            Interaction = Interaction.Read,
            ResourceType = "Observation",
            ResourceId = "o-" + patient,
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patient }, Security = { label } } },
        };
        return request;
    }

    [Theory]
    [InlineData("Practitioner/gp-direct")]
    [InlineData("Practitioner/gp-group")]
    public async Task Clearance_and_categories_count_only_for_the_patient_the_cleared_grant_reaches(string user)
    {
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadLabelled(user, "gp-a", Confidential))).Outcome);
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadLabelled(user, "gp-a", Hiv))).Outcome);

        var confidential = await _decisions.CheckAsync(ReadLabelled(user, "gp-b", Confidential));
        Assert.Equal(Outcome.Deny, confidential.Outcome);
        Assert.Equal("labels.confidentiality", confidential.Reasons.Single(r => r.Outcome == Outcome.Deny).Code);
        var hiv = await _decisions.CheckAsync(ReadLabelled(user, "gp-b", Hiv));
        Assert.Equal("labels.sensitivity", hiv.Reasons.Single(r => r.Outcome == Outcome.Deny).Code);
    }

    [Fact]
    public async Task A_system_client_is_cleared_only_for_the_patients_of_its_cleared_grant()
    {
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadLabelled(null, "gp-a", Confidential, "gp-system", "system/Observation.rs"))).Outcome);
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(ReadLabelled(null, "gp-b", Confidential, "gp-system", "system/Observation.rs"))).Outcome);
    }

    [Fact]
    public async Task Data_of_two_patients_needs_both_cleared()
    {
        var request = ReadLabelled("Practitioner/gp-direct", "gp-a", Confidential);
        request.Stored.Facts.Patients.Add("gp-b");
        Assert.Equal(Outcome.Deny, (await _decisions.CheckAsync(request)).Outcome);
    }

    [Fact]
    public async Task Break_the_glass_is_allowed_only_for_the_patients_of_the_break_glass_grant()
    {
        CheckRequest Emergency(string patient)
        {
            var request = ReadLabelled("Practitioner/gp-direct", patient, Confidential);
            request.Token.PurposeOfUse = "BTG";
            request.Token.BreakGlassReason = "unconscious in the emergency room";
            return request;
        }
        // gp-a is cleared anyway; gp-b is not, and the break-glass grant does not reach gp-b.
        var other = await _decisions.CheckAsync(Emergency("gp-b"));
        Assert.Equal(Outcome.Deny, other.Outcome);
        Assert.False(other.BreakGlass);
    }

    [Fact]
    public async Task A_search_excludes_labels_by_the_grants_that_reach_its_patients()
    {
        CheckRequest Search(string query) => new()
        {
            Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/gp-direct", Scope = "user/Observation.rs" },
            Interaction = Interaction.SearchType,
            ResourceType = "Observation",
            Query = query,
        };
        var named = await _decisions.CheckAsync(Search("patient=gp-a"));
        Assert.DoesNotContain(Confidential, named.Obligation.ExcludedSecurityLabels);
        Assert.DoesNotContain(Hiv, named.Obligation.ExcludedSecurityLabels);

        // Without a patient the search reaches gp-b too, whom the cleared grant does not reach.
        var population = await _decisions.CheckAsync(Search(""));
        Assert.Equal(Outcome.Permit, population.Outcome);
        Assert.Contains(Confidential, population.Obligation.ExcludedSecurityLabels);
        Assert.Contains(Hiv, population.Obligation.ExcludedSecurityLabels);
    }

    [Fact]
    public async Task A_label_deny_does_not_name_the_label_to_the_requester_and_the_audit_keeps_it()
    {
        var denied = await _decisions.CheckAsync(ReadLabelled("Practitioner/gp-direct", "gp-b", Hiv));
        var reason = denied.Reasons.Single(r => r.Outcome == Outcome.Deny);
        Assert.Equal("labels.sensitivity", reason.Code);
        Assert.DoesNotContain("HIV", reason.Message);
        Assert.Equal("", reason.Source);

        var audit = new AuditService.AuditServiceClient(server.Host.Channel);
        using var call = audit.QueryDecisions(new DecisionQuery { Patient = "gp-b", FhirUser = "Practitioner/gp-direct", Outcome = Outcome.Deny });
        var recorded = new List<DecisionRecord>();
        await foreach (var row in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            recorded.Add(row);
        }
        var explained = recorded.Single(r => r.DecisionId == denied.DecisionId).Reasons.Single(r => r.Outcome == Outcome.Deny);
        Assert.Contains("HIV", explained.Message);
    }
}
