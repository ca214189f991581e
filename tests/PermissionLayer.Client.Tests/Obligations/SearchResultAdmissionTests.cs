using PermissionLayer.Client.Obligations;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Obligations;

namespace PermissionLayer.Client.Tests.Obligations;

/// <summary>
/// The client library reads a wire obligation as the core's rule does (the server's own function), and
/// fails closed on one from a server that does not state the result rule.
/// </summary>
public sealed class SearchResultAdmissionTests
{
    private const string Restricted = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R";

    public static TheoryData<string, SearchObligation, ResourceFacts, AdmissionOutcome> Cases => new()
    {
        { "a plain result of the admitted patient", Obligation(), Facts("a"), AdmissionOutcome.Admit },
        { "a result that also references an unadmitted patient", Obligation(), Facts("a", "b"), AdmissionOutcome.Deny },
        { "a carried resource of a carried-check patient", Obligation(o => o.CarriedCheckPatientIds.Add("a")),
            Facts("a").With(f => f.CarriedTypes.Add("Condition")), AdmissionOutcome.NeedsCheck },
        { "every carrier checked", Obligation(o => o.CarriedCheckAll = true), Facts("a").With(f => f.CarriedTypes.Add("Condition")),
            AdmissionOutcome.NeedsCheck },
        { "a label above the clearance", Obligation(), Facts("a").With(f => f.Security.Add(Restricted)), AdmissionOutcome.Deny },
        { "labels lifted by break-the-glass", Obligation(o => { o.LabelsLifted = true; o.ClearanceCeiling = ""; }),
            Facts("a").With(f => f.Security.Add(Restricted)), AdmissionOutcome.Admit },
        { "results that need a check", Obligation(o => o.ResultsNeedCheck = true), Facts("a"), AdmissionOutcome.NeedsCheck },
        { "an obligation of a server that does not state the result rule", Obligation(o => o.EveryReferencedPatient = false), Facts("a"),
            AdmissionOutcome.NeedsCheck },
        { "a branch context that cannot be read", Obligation(o => o.AnyOf[0].Context = "group"), Facts("a"), AdmissionOutcome.NeedsCheck },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_the_wire_obligation_as_the_core_rule(string name, SearchObligation obligation, ResourceFacts facts, AdmissionOutcome outcome)
    {
        var admission = SearchResultAdmission.Admit(obligation, "Observation", facts);
        Assert.True(admission.Outcome == outcome, $"{name}: {admission.Outcome} {admission.Code} ({admission.Message}); expected {outcome}");
    }

    [Fact]
    public void A_deny_or_a_response_without_obligation_admits_nothing()
    {
        var denied = CheckResult.From(new CheckResponse { Outcome = Outcome.Deny, Obligation = Obligation() });
        Assert.Equal(AdmissionOutcome.Deny, denied.AdmitResult("Observation", Facts("a")).Outcome);
        var read = CheckResult.From(new CheckResponse { Outcome = Outcome.Permit });
        Assert.Equal(AdmissionOutcome.Deny, read.AdmitResult("Observation", Facts("a")).Outcome);
    }

    /// <summary>user/Observation.rs, for patient a only, at clearance N, as the server sends it.</summary>
    private static SearchObligation Obligation(Action<SearchObligation>? change = null)
    {
        var obligation = new SearchObligation
        {
            Patients = new PatientRestriction { Complete = true, PatientIds = { "a" } },
            EveryReferencedPatient = true,
            ClearanceCeiling = "N",
            AnyOf = { new FilterBranch { Scope = "user/Observation.rs", Context = "user", ResourceType = "Observation" } },
        };
        change?.Invoke(obligation);
        return obligation;
    }

    private static ResourceFacts Facts(params string[] patients) => new() { Complete = true, Patients = { patients } };
}

internal static class FactsChanges
{
    public static ResourceFacts With(this ResourceFacts facts, Action<ResourceFacts> change)
    {
        change(facts);
        return facts;
    }
}
