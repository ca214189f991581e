using PermissionLayer.Core.Decisions;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// The patients a token may reach: the intersection of each term's reach. <see cref="Terms"/> keeps
/// each term's joinable sets, so a FHIR server can apply "in every term's union" inside its query.
/// </summary>
public sealed record AccessiblePatients(bool AllPatients, IReadOnlyList<string> Patients, IReadOnlyList<(DecisionTerm Term, ReachableSet Reach)> Terms, long Revision)
{
    public static AccessiblePatients Intersect(IReadOnlyList<(DecisionTerm Term, ReachableSet Reach)> terms, long revision)
    {
        var bounded = terms.Where(t => !t.Reach.AllPatients).ToList();
        if (bounded.Count == 0)
        {
            return new AccessiblePatients(true, [], terms, revision);
        }
        IEnumerable<string> patients = bounded[0].Reach.Patients;
        foreach (var (_, reach) in bounded.Skip(1))
        {
            var other = new HashSet<string>(reach.Patients, StringComparer.Ordinal);
            patients = patients.Where(other.Contains);
        }
        return new AccessiblePatients(false, [.. patients], terms, revision);
    }
}
