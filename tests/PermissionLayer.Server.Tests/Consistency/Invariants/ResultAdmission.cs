using PermissionLayer.Client.Obligations;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Server.Tests.Consistency.Model;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (i) A PEP that follows a search's obligation never returns a result that a read of it would deny:
/// for every permitted search (naming no patient, or naming one) and every generated result (one to
/// three patients, contained resources, a label), when the client library's
/// <see cref="SearchResultAdmission.Admit"/> admits the result, Check of a READ of that result by the
/// same token, with the same facts, permits. Tokens whose client or user holds a grant with <c>s</c>
/// but not <c>r</c> are left out: such a grant lets the search return what it does not let a read see
/// (README, request contract), by design.
/// </summary>
internal static class ResultAdmission
{
    public const string Admitted = "i. a result the obligation admits is one a read by the same token permits";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var token in c.Tokens.Where(t => !SearchesBeyondReads(c, t)))
        {
            var searches = c.Patients.Select(p => (Which: $"the search naming {p}", Answer: c.Check(token, Probe.NamedSearch, p)))
                .Prepend((Which: "the search naming no patient", Answer: c.Check(token, Probe.UntargetedSearch)));
            foreach (var (which, search) in searches.Where(s => s.Answer.Permitted))
            {
                foreach (var result in ResultSpec.For(c.Loaded.Case))
                {
                    var facts = CaseRunner.ResultFacts(result, c.Names);
                    var admission = SearchResultAdmission.Admit(search.Response!.Obligation, "Observation", facts);
                    if (admission.Outcome != AdmissionOutcome.Admit)
                    {
                        continue;
                    }
                    c.Premise(Admitted);
                    var read = c.Check(token, Probe.ResultRead, result.Patients[0], result.Encode());
                    if (!read.Permitted)
                    {
                        yield return c.Violation(Admitted, $"the read denies by {read.Decider}", token, result.Patients[0],
                            $"{result} not admitted by {which}",
                            $"{which} admits it ({c.Describe(search.Response.Obligation)}; carried-check [{string.Join(", ", c.Local(search.Response.Obligation.CarriedCheckPatientIds))}]" +
                            $"{(search.Response.Obligation.CarriedCheckAll ? " all" : "")}, clearance {search.Response.Obligation.ClearanceCeiling}); the read: {read}");
                    }
                }
            }
        }
    }

    private static bool SearchesBeyondReads(CaseContext c, int token)
    {
        var spec = c.Token(token);
        return c.Model.Graph.Grants.Any(g => (g.Principal == spec.ClientPrincipal || g.Principal == spec.User)
            && g.Actions.Contains('s') && !g.Actions.Contains('r'));
    }
}
