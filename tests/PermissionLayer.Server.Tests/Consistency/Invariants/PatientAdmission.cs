using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Consistency.Model;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// Which of the case's patients a patient restriction admits, read the ways decision.proto allows: the
/// ids (or every patient when all_patients), less excluded_patient_ids; or the joinable sets (every
/// entry's union), less the same exclusions. A search result must also match a filter branch, so a
/// restriction is narrowed by the branches' compartments (patient/ scopes) when every branch has one.
/// </summary>
internal static class PatientAdmission
{
    /// <summary>The ids reading; ids in local names.</summary>
    public static IReadOnlySet<string> ByIds(bool allPatients, IEnumerable<string> ids, IEnumerable<string> excluded, IReadOnlyList<string> patients)
    {
        var left = excluded.ToHashSet();
        var admitted = allPatients ? patients : ids;
        return admitted.Where(p => !left.Contains(p)).ToHashSet();
    }

    public static IReadOnlySet<string> ThroughBranches(IReadOnlySet<string> admitted, IReadOnlyList<FilterBranch> branches, CaseNames names)
    {
        if (branches.Count == 0 || branches.Any(b => b.CompartmentPatient.Length == 0))
        {
            return admitted;
        }
        var compartments = branches.Select(b => names.LocalId(b.CompartmentPatient)).OfType<string>().ToHashSet();
        return admitted.Where(compartments.Contains).ToHashSet();
    }

    /// <summary>
    /// The sets reading, sets and exclusions in local names (a set of another case is an error); null
    /// with no problem when an entry cannot be joined (TERM_CONSENT: read the ids).
    /// </summary>
    public static IReadOnlySet<string>? BySets(
        IEnumerable<SetUnion> unions, IEnumerable<string> excluded, ReferenceModel model, TokenSpec token, DateTimeOffset at, out string? problem)
    {
        problem = null;
        IEnumerable<string> admitted = model.Graph.Patients;
        foreach (var union in unions)
        {
            if (union.Term == Term.Consent)
            {
                return null;
            }
            var members = new HashSet<string>();
            foreach (var set in union.Sets)
            {
                if (model.Members(set, token, "s", at) is not { } inSet)
                {
                    problem = $"the {union.Term} entry names '{set}', which is no joinable set of this case that decision.proto describes";
                    return null;
                }
                members.UnionWith(inSet);
            }
            admitted = admitted.Where(members.Contains).ToList();
        }
        var left = excluded.ToHashSet();
        return admitted.Where(p => !left.Contains(p)).ToHashSet();
    }
}
