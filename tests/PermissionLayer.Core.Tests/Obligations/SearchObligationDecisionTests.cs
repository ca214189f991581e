using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Tests.Consents;
using PermissionLayer.Core.Tests.Properties;

namespace PermissionLayer.Core.Tests.Obligations;

/// <summary>
/// The obligation the composition makes for a search, applied to results a read of the same token
/// denies (README, Limits, as it was): a contained resource of a type a consent withholds, and a
/// result that references another patient than its compartment's.
/// </summary>
public sealed class SearchObligationDecisionTests
{
    private const string User = DecisionGen.User;
    private static readonly DateTimeOffset At = DecisionCase.At;

    [Theory]
    [InlineData(null)]
    [InlineData("a")]
    public void A_result_carrying_a_type_the_consent_withholds_is_not_admitted(string? named)
    {
        // a's consent denies Conditions; an Observation of a with a contained Condition is denied on a read.
        var consent = ConsentTrees.Consent("a-c", ConsentPolicyRule.OptIn, ConsentTrees.Deny().Class("Condition"));
        var c = Case(Everyone(User), new() { ["a"] = [consent] });
        var result = Facts("a") with { CarriedTypes = ["Condition"] };
        Assert.Equal("DENY", c.Outcome(Read(result)));
        var admission = Admit(c, named, result);
        Assert.NotEqual(AdmissionOutcome.Admit, admission.Outcome);
        // The same result without the contained Condition is admitted, and so is one of a patient without that consent.
        Assert.Equal(AdmissionOutcome.Admit, Admit(c, named, Facts("a")).Outcome);
        if (named is null)
        {
            Assert.Equal(AdmissionOutcome.Admit, Admit(c, named, Facts("b") with { CarriedTypes = ["Condition"] }).Outcome);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a")]
    public void A_result_referencing_a_patient_the_user_does_not_reach_is_not_admitted(string? named)
    {
        // The user reaches a only; the Observation is a's, and its performer (or focus) is b.
        var c = Case(PatientGrant(User, "a"), []);
        var result = Facts("a", "b");
        Assert.Equal("DENY", c.Outcome(Read(result)));
        Assert.Equal(AdmissionOutcome.Deny, Admit(c, named, result).Outcome);
        Assert.Equal(AdmissionOutcome.Admit, Admit(c, named, Facts("a")).Outcome);
    }

    [Fact]
    public void A_result_referencing_a_patient_whose_consent_denies_is_not_admitted_by_a_named_search()
    {
        var consent = ConsentTrees.Consent("b-c", ConsentPolicyRule.OptIn, ConsentTrees.Deny().Actor(User));
        var c = Case(Everyone(User), new() { ["b"] = [consent] });
        var result = Facts("a", "b");
        Assert.Equal("DENY", c.Outcome(Read(result)));
        Assert.Equal(AdmissionOutcome.Deny, Admit(c, "a", result).Outcome);
        Assert.Equal(AdmissionOutcome.Deny, Admit(c, null, result).Outcome);
    }

    [Fact]
    public void Mixed_system_and_user_scopes_make_every_result_need_a_check()
    {
        var c = Case(Everyone(User), [], "user/Observation.rs system/Observation.rs");
        var obligation = ResultObligation.Of(c.Snapshot(Search(c, null)).Decide())!;
        Assert.True(obligation.ResultsNeedCheck);
        Assert.Equal(AdmissionOutcome.NeedsCheck, ObligationAdmission.Admit(obligation, "Observation", Facts("a")).Outcome);
    }

    private static Admission Admit(DecisionCase c, string? named, ResourceFacts result)
    {
        var decided = c.Snapshot(Search(c, named)).Decide();
        Assert.Equal(Outcome.Permit, decided.Decision.Outcome);
        return ObligationAdmission.Admit(ResultObligation.Of(decided)!, "Observation", result);
    }

    private static ResourceFacts Facts(params string[] patients) => new() { Patients = patients, Complete = true, Reference = "Observation/o1" };

    private static DecisionRequest Read(ResourceFacts facts) => new()
    {
        Token = Token("user/Observation.rs"), Interaction = Interaction.Read, ResourceType = "Observation", ResourceId = "o1", Stored = facts,
    };

    private static DecisionRequest Search(DecisionCase c, string? patient) => new()
    {
        Token = c.Request.Token, Interaction = Interaction.SearchType, ResourceType = "Observation", Query = patient is null ? null : $"patient={patient}",
    };

    private static TokenContext Token(string scope) => new() { ClientId = "app", FhirUser = User, Scope = scope };

    private static DecisionCase Case(Grant userGrant, Dictionary<string, IReadOnlyList<CompiledConsent>> consents, string scope = "user/Observation.rs") =>
        new(Read(Facts("a")) with { Token = Token(scope) }, scope, [Everyone("Client/app")], [userGrant], [],
            new Dictionary<GrantTarget, IReadOnlyList<Membership>>(), new Dictionary<string, Team>(), consents, ConsentPolicyRule.OptIn);

    private static Grant Everyone(string principal) => Grant(principal, GrantTarget.Everyone);

    private static Grant PatientGrant(string principal, string patient) => Grant(principal, GrantTarget.Parse($"Patient/{patient}"));

    private static Grant Grant(string principal, GrantTarget target) => new()
    {
        Id = Guid.NewGuid(), Principal = principal, Target = target, Actions = DataActions.Read | DataActions.Search,
        ValidFrom = At.AddDays(-30), Reason = "test", GrantedBy = "test",
    };
}
