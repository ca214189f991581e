using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Principals;

/// <summary>Finds the grant through which a principal reaches one patient, or explains why none does.</summary>
internal static class PatientReach
{
    public static PatientAccess Explain(string principal, IReadOnlyList<Grant> grants, string patient, DataActions required, AccessQuestion question)
    {
        // A patient using a portal is entitled to their own compartment, with no grant needed.
        if (principal == $"Patient/{patient}")
        {
            return new PatientAccess(patient, Guid.Empty, $"{principal} is the patient: own compartment");
        }
        var target = $"Patient/{patient}";
        foreach (var grant in grants)
        {
            if ((grant.Target == target || grant.Target == GrantTarget.AllPatients)
                && grant.IsEffectiveAt(question.At)
                && grant.Covers(required, question.ResourceType, question.Purpose))
            {
                return new PatientAccess(patient, grant.Id, $"{grant.Describe()} reaches Patient/{patient}");
            }
        }
        return new PatientAccess(patient, null,
            $"no effective grant gives {principal} '{required.ToLetters()}' on Patient/{patient}");
    }
}
