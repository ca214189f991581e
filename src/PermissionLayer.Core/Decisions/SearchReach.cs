namespace PermissionLayer.Core.Decisions;

/// <summary>For an untargeted search, each term permits when it reaches someone; results are then narrowed.</summary>
public static class SearchReach
{
    public static IEnumerable<DecisionReason> Reasons(AccessiblePatients accessible)
    {
        foreach (var (term, reach) in accessible.Terms)
        {
            var sets = string.Join(", ", reach.GrantingSets);
            var code = term switch { DecisionTerm.Client => "client", DecisionTerm.User => "user", _ => "context" };
            yield return reach.AllPatients || reach.Patients.Count > 0
                ? DecisionReason.Permit(term, $"{code}.narrowed",
                    reach.AllPatients ? "reaches every patient" : $"reaches {reach.Patients.Count} patient(s) through {sets}; results are narrowed to them", sets)
                : DecisionReason.Deny(term, $"{code}.reaches-nobody", "reaches no patient, so the search could return nothing it may see", sets);
        }
        if (!accessible.AllPatients && accessible.Patients.Count == 0 && accessible.Terms.All(t => t.Reach.AllPatients || t.Reach.Patients.Count > 0))
        {
            yield return DecisionReason.Deny(DecisionTerm.Request, "search.no-common-patient",
                "the terms reach patients, but none in common: the search could return nothing");
        }
    }
}
