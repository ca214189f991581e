using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Decisions;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>The typed obligation of a permitted search, on the wire.</summary>
internal static class SearchObligationMapping
{
    /// <summary>Patient ids sent inline at most; beyond that the server streams or joins the sets.</summary>
    public const int InlinePatientLimit = 500;

    public static SearchObligation ToWire(SearchFilter filter, AccessiblePatients patients, IReadOnlyList<string> excludedLabels)
    {
        var obligation = new SearchObligation { RestrictTypes = filter.Types is not null, Patients = ToWire(patients) };
        obligation.ExcludedSecurityLabels.AddRange(excludedLabels);
        obligation.ResourceTypes.AddRange(filter.Types ?? []);
        obligation.AnyOf.AddRange(filter.AnyOf.Select(b =>
        {
            var branch = new FilterBranch
            {
                Scope = b.Scope,
                Context = b.Context.ToString().ToLowerInvariant(),
                ResourceType = b.ResourceType,
                CompartmentPatient = b.CompartmentPatient ?? "",
            };
            branch.AllOf.AddRange(b.AllOf.Select(c =>
            {
                var constraint = new FilterConstraint { Parameter = c.Parameter };
                constraint.AnyOf.AddRange(c.AnyOf);
                return constraint;
            }));
            return branch;
        }));
        return obligation;
    }

    private static PatientRestriction ToWire(AccessiblePatients patients)
    {
        // Complete only when every list a server may use is inline: the ids and the exclusions (a server
        // joining granting_sets needs the exclusions even when the ids fit).
        var idsInline = patients.AllPatients || patients.Patients.Count <= InlinePatientLimit;
        var restriction = new PatientRestriction
        {
            AllPatients = patients.AllPatients,
            Complete = idsInline && patients.Withheld.Count <= InlinePatientLimit,
        };
        if (!patients.AllPatients && patients.Patients.Count <= InlinePatientLimit)
        {
            restriction.PatientIds.AddRange(patients.Patients);
        }
        if (patients.Withheld.Count <= InlinePatientLimit)
        {
            restriction.ExcludedPatientIds.AddRange(patients.Withheld);
        }
        restriction.GrantingSets.AddRange(AccessiblePatientPages.GrantingSets(patients));
        return restriction;
    }
}
