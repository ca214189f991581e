using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Core.Scopes;
using CoreFacts = PermissionLayer.Core.Requests.ResourceFacts;
using CoreToken = PermissionLayer.Core.Requests.Token;

namespace PermissionLayer.Client.Obligations;

/// <summary>
/// What a permitted search's obligation says about each result, by the service's own rule
/// (<see cref="ObligationAdmission.Admit"/> in PermissionLayer.Core): call it on every result, after
/// the FHIR server's query applied the filter, and return only <see cref="AdmissionOutcome.Admit"/>
/// results; decide each <see cref="AdmissionOutcome.NeedsCheck"/> one with CheckBatch as a READ with
/// its FHIR JSON (or complete facts). A PEP that does so never returns a result that a read of it by
/// the same token would deny. An obligation from a server that does not state the newer parts of the
/// contract (<c>every_referenced_patient</c>) makes every result need a check.
/// </summary>
public static class SearchResultAdmission
{
    /// <param name="obligation">The permitted search's <see cref="CheckResponse.Obligation"/>.</param>
    /// <param name="resourceType">The result's resource type.</param>
    /// <param name="facts">The result's facts, as a CheckRequest would carry them (every patient it references in <c>patients</c>).</param>
    public static Admission Admit(SearchObligation obligation, string resourceType, ResourceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(obligation);
        ArgumentNullException.ThrowIfNull(facts);
        return ObligationAdmission.Admit(ToCore(obligation), resourceType, ToCore(facts));
    }

    /// <summary>The wire obligation as the core's rule reads it; a part it cannot read makes every result need a check.</summary>
    public static ResultObligation ToCore(SearchObligation obligation)
    {
        var branches = new List<SearchFilterBranch>();
        var readable = obligation.EveryReferencedPatient;
        foreach (var branch in obligation.AnyOf)
        {
            if (!Enum.TryParse<ScopeContext>(branch.Context, ignoreCase: true, out var context))
            {
                readable = false;
                continue;
            }
            branches.Add(new SearchFilterBranch(branch.Scope, context, branch.ResourceType,
                branch.CompartmentPatient.Length == 0 ? null : branch.CompartmentPatient,
                [.. branch.AllOf.Select(c => new ScopeConstraint(c.Parameter, [.. c.AnyOf]))]));
        }
        var restriction = obligation.Patients ?? new PatientRestriction();
        return new ResultObligation
        {
            Filter = new SearchFilter(branches, obligation.RestrictTypes ? [.. obligation.ResourceTypes] : null),
            Patients = new ResultPatients(restriction.AllPatients, restriction.PatientIds.ToHashSet(StringComparer.Ordinal),
                restriction.ExcludedPatientIds.ToHashSet(StringComparer.Ordinal), restriction.Complete),
            ExcludedLabels = [.. obligation.ExcludedSecurityLabels],
            Clearance = obligation.LabelsLifted ? null
                : new Clearance(obligation.ClearanceCeiling.Length == 0 ? Confidentiality.Default : obligation.ClearanceCeiling,
                    obligation.ClearanceCategories.ToHashSet(StringComparer.Ordinal)),
            CarriedCheckPatients = [.. obligation.CarriedCheckPatientIds],
            CarriedCheckAll = obligation.CarriedCheckAll,
            ResultsNeedCheck = obligation.ResultsNeedCheck || !readable,
        };
    }

    /// <summary>A result's wire facts as the core reads them (a read of it would be decided from the same).</summary>
    public static CoreFacts ToCore(ResourceFacts facts) => new()
    {
        Patients = [.. facts.Patients],
        Category = [.. facts.Category.Select(CoreToken.Parse)],
        Code = [.. facts.Code.Select(CoreToken.Parse)],
        Tag = [.. facts.Tag.Select(CoreToken.Parse)],
        Security = [.. facts.Security.Select(CoreToken.Parse)],
        Status = facts.Status.Length == 0 ? null : facts.Status,
        RecordedAt = facts.RecordedAt?.ToDateTimeOffset(),
        Reference = facts.Reference.Length == 0 ? null : facts.Reference,
        Complete = facts.Complete,
        AllVersions = facts.AllVersions,
        CarriedTypes = [.. facts.CarriedTypes],
    };
}
