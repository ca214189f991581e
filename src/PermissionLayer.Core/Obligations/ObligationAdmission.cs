using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Obligations;

/// <summary>The obligation contract as it stood: a result's type, a branch, its compartment patient and its labels.</summary>
public static class ObligationAdmission
{
    public static Admission Admit(ResultObligation obligation, string resourceType, ResourceFacts facts)
    {
        if (obligation.Filter.Types is { } types && !types.Contains(resourceType))
        {
            return Admission.Deny("result.type", "type");
        }
        if (!obligation.Filter.AnyOf.Any(b => (b.ResourceType == ResourceScope.AnyType || b.ResourceType == resourceType)
            && (b.CompartmentPatient is null || facts.Patients.Contains(b.CompartmentPatient))
            && b.AllOf.All(c => ConstraintMatch.Matches(c, facts))))
        {
            return Admission.Deny("result.no-branch", "branch");
        }
        if (PatientCompartment.R4.Contains(resourceType) && facts.Patients.Count > 0 && obligation.Patients.Admits(facts.Patients[0]) != true)
        {
            return Admission.Deny("result.patient", "patient");
        }
        if (facts.Security.Any(l => obligation.ExcludedLabels.Contains(l.ToString())))
        {
            return Admission.Deny("result.label", "label");
        }
        return Admission.Admitted;
    }
}
