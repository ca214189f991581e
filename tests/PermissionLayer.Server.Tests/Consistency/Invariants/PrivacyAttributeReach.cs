using PermissionLayer.Server.Tests.Consistency.Model;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (d) A grant's privacy attributes (clearance, sensitivity categories, break-the-glass) matter only
/// for the patients that grant reaches for the request (issue 13, class 3), against the reference model:
/// <list type="bullet">
/// <item>a labelled read is permitted only when a grant reaching the patient clears the label, or
/// break-the-glass applies through such a grant;</item>
/// <item>conversely, when the unlabelled read is permitted, such a grant makes the labelled read
/// permitted too (for a patient without consents, whose provisions may name labels; under
/// break-the-glass, consents included);</item>
/// <item>a decision under break-the-glass needs a reaching grant that allows it;</item>
/// <item>a search's obligation excludes every label that some admitted patient's reaching grants do not
/// clear (one label filter serves all of them, _include results included).</item>
/// </list>
/// </summary>
internal static class PrivacyAttributeReach
{
    public const string LabelNeedsReachingClearance = "d. a labelled read is permitted only through a reaching grant's clearance (or its break-the-glass)";
    public const string ReachingClearanceApplies = "d. a reaching grant's clearance clears the labelled read";
    public const string BreakGlassNeedsReachingGrant = "d. break-the-glass applies only through a grant that reaches the patient";
    public const string SearchExcludesUnclearedLabels = "d. a search excludes every label a reaching grant does not clear";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var token in c.Tokens)
        {
            var spec = c.Token(token);
            foreach (var patient in c.Patients)
            {
                var reading = c.Model.Reaching(spec, patient, "r", c.At);
                var glass = ReferenceModel.BreakGlass(spec, reading);
                var read = c.Check(token, Probe.Read, patient);
                foreach (var label in Labels.OnData)
                {
                    var labelled = c.Check(token, Probe.LabelledRead, patient, label);
                    var clears = ReferenceModel.Clears(label, reading);
                    if (c.Premise(LabelNeedsReachingClearance, labelled.Permitted) && !clears && !glass)
                    {
                        yield return c.Violation(LabelNeedsReachingClearance, $"{Labels.Code(label)}{(labelled.BreakGlass ? " via break-the-glass" : "")}",
                            token, patient, $"DENY: no grant reaching {patient} clears {Labels.Code(label)}{Reaching(reading)}", $"Check: {labelled}");
                    }
                    if (c.Premise(ReachingClearanceApplies, read.Permitted && (glass || (clears && !c.Model.HasConsent(patient)))) && !labelled.Permitted)
                    {
                        yield return c.Violation(ReachingClearanceApplies, $"{Labels.Code(label)} denied by {labelled.Decider}", token, patient,
                            $"PERMIT: the unlabelled read is permitted and {(glass ? "break-the-glass applies" : $"a grant reaching {patient} clears {Labels.Code(label)}")}{Reaching(reading)}",
                            $"Check: {labelled}");
                    }
                }
                foreach (var (probe, label, letters) in Probes())
                {
                    var answer = c.Check(token, probe, patient, label);
                    if (c.Premise(BreakGlassNeedsReachingGrant, answer.BreakGlass) && !ReferenceModel.BreakGlass(spec, c.Model.Reaching(spec, patient, letters, c.At)))
                    {
                        yield return c.Violation(BreakGlassNeedsReachingGrant, probe.ToString(), token, patient,
                            $"no break-the-glass: no grant reaching {patient} for '{letters}' allows it", $"{new ProbeKey(token, probe, patient, label)}: {answer}");
                    }
                }
                var named = c.Check(token, Probe.NamedSearch, patient);
                if (named.Permitted)
                {
                    foreach (var violation in Excludes(c, token, named, patient))
                    {
                        yield return violation;
                    }
                }
            }
            var untargeted = c.Check(token, Probe.UntargetedSearch);
            if (untargeted.Permitted)
            {
                foreach (var violation in Excludes(c, token, untargeted, null))
                {
                    yield return violation;
                }
            }
        }
    }

    private static IEnumerable<(Probe, string?, string)> Probes() =>
        [(Probe.Read, null, "r"), .. Labels.OnData.Select(l => (Probe.LabelledRead, (string?)l, "r")), (Probe.NamedSearch, null, "s")];

    /// <summary>Break-the-glass lifts the labels of the patient a search names, never of the others it admits.</summary>
    private static IEnumerable<Violation> Excludes(CaseContext c, int token, DecisionAnswer search, string? namedPatient)
    {
        var spec = c.Token(token);
        var excluded = search.Response!.Obligation.ExcludedSecurityLabels.ToHashSet();
        foreach (var patient in c.Admitted(token, search.Response.Obligation).Order(StringComparer.Ordinal))
        {
            var reaching = c.Model.Reaching(spec, patient, "s", c.At);
            var lifted = patient == namedPatient && ReferenceModel.BreakGlass(spec, reaching);
            var needed = Labels.OnData.Where(l => c.Premise(SearchExcludesUnclearedLabels, !lifted && !ReferenceModel.Clears(l, reaching))).ToList();
            foreach (var label in needed.Where(l => !excluded.Contains(l)))
            {
                yield return c.Violation(SearchExcludesUnclearedLabels,
                    $"{Labels.Code(label)} not excluded ({(namedPatient is null ? "search naming no patient" : patient == namedPatient ? "the named patient" : "another admitted patient")})",
                    token, patient, $"{Labels.Code(label)} in excluded_security_labels: the search admits {patient}, and no grant reaching {patient} clears it{Reaching(reaching)}",
                    $"{(namedPatient is null ? "search naming no patient" : $"search naming {namedPatient}")}: {search}; of R, V, HIV it excludes [{string.Join(", ", Labels.OnData.Where(excluded.Contains).Select(Labels.Code))}]");
            }
        }
    }

    private static string Reaching(IReadOnlyList<GrantSpec> reaching) =>
        reaching.Count == 0 ? " (no grant reaches it)" : $" (reaching: {string.Join(" | ", reaching)})";
}
