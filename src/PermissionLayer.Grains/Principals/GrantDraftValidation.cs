using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Labels;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Principals;

/// <summary>Turns a draft into a grant or rejects it with a message naming the bad field.</summary>
internal static class GrantDraftValidation
{
    public static Grant ToGrant(this GrantDraft draft, string principal, DateTimeOffset now, Func<string, bool> isResourceType)
    {
        Reject(Principal.Validate(principal));
        Reject(GrantTarget.Validate(draft.Target));
        if (!ActionLetters.TryParse(draft.Actions, out var actions))
        {
            Reject($"actions '{draft.Actions}' must be a non-empty, in-order subset of 'cruds'");
        }
        foreach (var type in draft.ResourceTypes)
        {
            if (!isResourceType(type))
            {
                Reject($"resource_types: '{type}' is not a FHIR R4 resource type");
            }
        }
        if (draft.Clearance is { } clearance && !Confidentiality.IsCode(clearance))
        {
            Reject($"clearance '{clearance}' is not one of {string.Join(", ", Confidentiality.Codes)}");
        }
        foreach (var category in draft.SensitivityCategories ?? [])
        {
            if (!SensitivityCategory.IsCode(category))
            {
                Reject($"sensitivity_categories: '{category}' is not a known sensitivity category (v3 ActCode, e.g. HIV, PSY, ETH, SUD)");
            }
        }
        if (string.IsNullOrWhiteSpace(draft.Reason))
        {
            Reject("reason is required");
        }
        if (string.IsNullOrWhiteSpace(draft.GrantedBy))
        {
            Reject("granted_by is required");
        }
        var from = draft.ValidFrom ?? now;
        if (draft.ValidUntil is { } until && until <= from)
        {
            Reject($"valid_until ({until:O}) must be after valid_from ({from:O})");
        }
        return new Grant
        {
            Id = Guid.CreateVersion7(now),
            Principal = principal,
            Target = GrantTarget.Parse(draft.Target),
            Actions = actions,
            ResourceTypes = draft.ResourceTypes.Distinct(StringComparer.Ordinal).ToList(),
            Purposes = draft.Purposes.Distinct(StringComparer.Ordinal).ToList(),
            Clearance = draft.Clearance,
            SensitivityCategories = (draft.SensitivityCategories ?? []).Distinct(StringComparer.Ordinal).ToList(),
            BreakGlass = draft.BreakGlass,
            ValidFrom = from,
            ValidUntil = draft.ValidUntil,
            Reason = draft.Reason.Trim(),
            GrantedBy = draft.GrantedBy,
        };
    }

    private static void Reject(string? error)
    {
        if (error is not null)
        {
            throw new EntitlementValidationException(error);
        }
    }
}
