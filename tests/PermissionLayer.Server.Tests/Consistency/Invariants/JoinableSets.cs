using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (e) The joinable sets name the same patients as the ids: a FHIR server that joins granting_sets
/// (less excluded_patient_ids) must admit exactly whom a server reading patient_ids admits, in the
/// stream's first page and in every search obligation.
/// </summary>
internal static class JoinableSets
{
    public const string SetsMatchIds = "e. granting_sets less the exclusions name the same patients as the ids";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var token in c.Tokens)
        {
            var stream = c.Answers.Streams[token];
            if (stream.Error is null)
            {
                var violation = Compare(c, token, "stream", stream.GrantingSets, stream.ExcludedPatientIds, c.StreamAccessible(token), stream.ToString());
                if (violation is not null)
                {
                    yield return violation;
                }
            }
            var searches = c.Patients.Select(p => (Which: $"search naming {p}", Answer: c.Check(token, Probe.NamedSearch, p)))
                .Prepend((Which: "search naming no patient", Answer: c.Check(token, Probe.UntargetedSearch)));
            foreach (var (which, answer) in searches.Where(s => s.Answer.Permitted && s.Answer.Response!.Obligation.Patients.Complete))
            {
                var restriction = answer.Response!.Obligation.Patients;
                var ids = PatientAdmission.ByIds(restriction.AllPatients, c.Local(restriction.PatientIds), c.Local(restriction.ExcludedPatientIds), c.Patients);
                var violation = Compare(c, token, which, c.Local(restriction.GrantingSets), c.Local(restriction.ExcludedPatientIds), ids,
                    c.Describe(answer.Response.Obligation));
                if (violation is not null)
                {
                    yield return violation;
                }
            }
        }
    }

    private static Violation? Compare(
        CaseContext c, int token, string which, IEnumerable<SetUnion> sets, IEnumerable<string> excluded, IReadOnlySet<string> ids, string observed)
    {
        var unions = sets.ToList();
        var joined = PatientAdmission.BySets(unions, excluded, c.Model, c.Token(token), c.At, out var problem);
        var described = string.Join(" ∩ ", unions.Select(u => $"{u.Term}:[{string.Join(", ", u.Sets)}]"));
        if (problem is not null)
        {
            return c.Violation(SetsMatchIds, "unjoinable set", token, "-", $"{which}: sets a FHIR server can join", $"{problem}; {observed}");
        }
        if (joined is null || c.Premise(SetsMatchIds) && joined.SetEquals(ids))
        {
            return null;
        }
        var differing = joined.Except(ids).Concat(ids.Except(joined)).Order(StringComparer.Ordinal).First();
        return c.Violation(SetsMatchIds, joined.Contains(differing) ? "sets admit more" : "sets admit less", token, differing,
            $"{which}: sets {described} name {CaseContext.Describe(ids)}", $"they name {CaseContext.Describe(joined)}; {observed}");
    }
}
