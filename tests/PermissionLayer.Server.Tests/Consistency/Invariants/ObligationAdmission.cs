using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (b) A search's obligation never admits a patient for whom Check of a search naming that patient
/// denies: neither the obligation of a search naming no patient, nor the restriction a search naming
/// one patient returns (which the FHIR server applies to _include/_revinclude results).
/// </summary>
internal static class ObligationAdmission
{
    public const string Untargeted = "b. a search naming no patient admits only patients whose named search Check permits";
    public const string Named = "b. a search naming p admits (for _include) only patients whose named search Check permits";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var token in c.Tokens)
        {
            var untargeted = c.Check(token, Probe.UntargetedSearch);
            if (untargeted.Permitted)
            {
                foreach (var violation in Admits(c, token, untargeted, Untargeted, "the search naming no patient"))
                {
                    yield return violation;
                }
            }
            foreach (var patient in c.Patients)
            {
                var named = c.Check(token, Probe.NamedSearch, patient);
                if (named.Permitted)
                {
                    foreach (var violation in Admits(c, token, named, Named, $"the search naming {patient}"))
                    {
                        yield return violation;
                    }
                }
            }
        }
    }

    private static IEnumerable<Violation> Admits(CaseContext c, int token, DecisionAnswer search, string invariant, string which)
    {
        var admitted = c.Admitted(token, search.Response!.Obligation);
        foreach (var patient in admitted.Order(StringComparer.Ordinal))
        {
            c.Premise(invariant);
            var named = c.Check(token, Probe.NamedSearch, patient);
            if (!named.Permitted)
            {
                yield return c.Violation(invariant, $"Check denies by {named.Decider}", token, patient,
                    $"{patient} not admitted by {which}",
                    $"{which} admits {CaseContext.Describe(admitted)} ({c.Describe(search.Response.Obligation)}); Check naming {patient}: {named}");
            }
        }
    }
}
