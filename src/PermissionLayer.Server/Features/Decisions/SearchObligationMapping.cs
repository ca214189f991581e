using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Grains.Decisions;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>The typed obligation of a permitted search, on the wire.</summary>
internal static class SearchObligationMapping
{
    /// <summary>Patient ids sent inline at most; beyond that the server streams or joins the sets.</summary>
    public const int InlinePatientLimit = 500;

    /// <summary>The obligation (the core's <see cref="ResultObligation"/>) with the patient restriction's joinable sets.</summary>
    public static SearchObligation ToWire(ResultObligation rule, AccessiblePatients patients)
    {
        var filter = rule.Filter;
        var obligation = new SearchObligation
        {
            RestrictTypes = filter.Types is not null,
            Patients = ToWire(patients),
            EveryReferencedPatient = true,
            ClearanceCeiling = rule.Clearance?.Ceiling ?? "",
            LabelsLifted = rule.Clearance is null,
            // Beyond the inline limit every carrier is checked: a partial list would admit the rest.
            CarriedCheckAll = rule.CarriedCheckAll || rule.CarriedCheckPatients.Count > InlinePatientLimit,
            ResultsNeedCheck = rule.ResultsNeedCheck,
        };
        obligation.ClearanceCategories.AddRange(rule.Clearance is { } clearance ? clearance.Categories.Order(StringComparer.Ordinal) : []);
        if (!obligation.CarriedCheckAll)
        {
            obligation.CarriedCheckPatientIds.AddRange(rule.CarriedCheckPatients);
        }
        obligation.ExcludedSecurityLabels.AddRange(rule.ExcludedLabels);
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
