using PermissionLayer.Core.References;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Groups;

namespace PermissionLayer.Grains.Groups;

/// <summary>What a membership change must satisfy before it is written, through the grain or in a batch.</summary>
internal static class GroupMembersValidation
{
    public static void Validate(GroupMembersChange change)
    {
        if (string.IsNullOrWhiteSpace(change.Reason))
        {
            throw new EntitlementValidationException("reason is required to change group membership");
        }
        foreach (var member in change.Upserts)
        {
            if (!FhirReference.IsId(member.PatientId))
            {
                throw new EntitlementValidationException($"members: '{member.PatientId}' is not a patient id");
            }
            if (member.PeriodStart is { } start && member.PeriodEnd is { } end && end <= start)
            {
                throw new EntitlementValidationException($"members: Patient/{member.PatientId} period ends before it starts");
            }
        }
    }
}
