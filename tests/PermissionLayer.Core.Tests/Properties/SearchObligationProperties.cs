using CsCheck;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Properties;

/// <summary>
/// The search obligation and the accessible-patients stream answer from the same composition as Check:
/// over one snapshot, a patient they admit is a patient whose data a read of the same token may see.
/// Were a population rule looser than the per-patient one (another consent question, another grant's
/// privacy, a group or launch narrowing forgotten), a search would return what Check denies.
/// </summary>
public sealed class SearchObligationProperties
{
    private const int Iterations = 2000;

    /// <summary>A search of Observations by the case's token: untargeted, or naming one patient.</summary>
    private static DecisionRequest Search(DecisionCase c, string? patient) => new()
    {
        Token = c.Request.Token,
        Interaction = Interaction.SearchType,
        ResourceType = "Observation",
        Query = patient is null ? null : $"patient={patient}",
    };

    /// <summary>A read of an Observation of the patient, whose facts are complete and carry no code or label.</summary>
    private static DecisionRequest ReadOf(DecisionCase c, string patient) => new()
    {
        Token = c.Request.Token,
        Interaction = Interaction.Read,
        ResourceType = "Observation",
        ResourceId = $"o-{patient}",
        Stored = new ResourceFacts { Patients = [patient], Complete = true, Reference = $"Observation/o-{patient}" },
    };

    /// <summary>The patients (of the case's vocabulary) a permitted answer admits, or none when it denies or is invalid.</summary>
    private static IEnumerable<string> Admitted(Func<AccessiblePatients?> answer)
    {
        AccessiblePatients? admitted;
        try
        {
            admitted = answer();
        }
        catch (RequestValidationException)
        {
            return [];
        }
        return admitted is null ? [] : DecisionGen.Patients.Where(admitted.Admits);
    }

    private static IEnumerable<string> ObligationAdmits(DecisionCase c, string? patient) => Admitted(() =>
        c.Snapshot(Search(c, patient)).Decide() is { Decision.Outcome: Outcome.Permit } result ? result.Patients : null);

    [Fact]
    public void A_search_obligation_admits_only_patients_whose_read_is_permitted() =>
        Gen.Select(DecisionGen.CaseGen(), Gen.OneOfConst<string?>(null, null, "a", "b")).Sample((c, patient) =>
            ObligationAdmits(c, patient).All(p => c.Outcome(ReadOf(c, p)) == "PERMIT"),
            iter: Iterations,
            print: t => $"{t.Item1} — search patient={t.Item2} admits [{string.Join(",", ObligationAdmits(t.Item1, t.Item2))}] " +
                $"reads [{string.Join(",", ObligationAdmits(t.Item1, t.Item2).Select(p => $"{p}:{t.Item1.Outcome(ReadOf(t.Item1, p))}"))}]");

    [Fact]
    public void The_accessible_patients_stream_admits_only_patients_whose_read_is_permitted() =>
        DecisionGen.CaseGen().Sample(c =>
            Admitted(() => c.Snapshot(c.Request).Accessible(Interaction.Read, "Observation")).All(p => c.Outcome(ReadOf(c, p)) == "PERMIT"),
            iter: Iterations,
            print: c => $"{c} — stream admits [{string.Join(",", Admitted(() => c.Snapshot(c.Request).Accessible(Interaction.Read, "Observation")))}]");

    /// <summary>A read, by the case's token, of the result the search returned.</summary>
    private static DecisionRequest ReadOfResult(DecisionCase c, ResourceFacts result) => new()
    {
        Token = c.Request.Token, Interaction = Interaction.Read, ResourceType = "Observation", ResourceId = "o1", Stored = result,
    };

    /// <summary>What the obligation of the case's search says about the result; null when the search is not permitted.</summary>
    private static Admission? ResultAdmission(DecisionCase c, string? patient, ResourceFacts result)
    {
        DecisionResult decided;
        try
        {
            decided = c.Snapshot(Search(c, patient)).Decide();
        }
        catch (RequestValidationException)
        {
            return null;
        }
        return ResultObligation.Of(decided) is { } obligation ? ObligationAdmission.Admit(obligation, "Observation", result) : null;
    }

    /// <summary>
    /// The goal of the obligation contract (issue 13): a PEP that applies it never returns a result that
    /// Check of a read of that result (same token, the result's own facts) would deny. Results reference
    /// one to three patients, carry contained resources of a type consents may withhold, and carry labels.
    /// </summary>
    [Fact]
    public void A_result_the_obligation_admits_is_a_result_a_read_permits() =>
        Gen.Select(DecisionGen.CaseGen(carriedClasses: true), Gen.OneOfConst<string?>(null, null, "a", "b"), DecisionGen.ResultGen).Sample(
            (c, patient, result) => ResultAdmission(c, patient, result)?.Outcome != AdmissionOutcome.Admit || c.Outcome(ReadOfResult(c, result)) == "PERMIT",
            iter: Iterations * 2,
            print: t => $"{t.Item1} — search patient={t.Item2} result {{patients {string.Join(",", t.Item3.Patients)} carried {string.Join(",", t.Item3.CarriedTypes)} " +
                $"labels {string.Join(",", t.Item3.Security)} codes {string.Join(",", t.Item3.Code)}{(t.Item3.Complete ? " complete" : "")}}}: " +
                $"admitted, read {t.Item1.Outcome(ReadOfResult(t.Item1, t.Item3))}");
}
