namespace PermissionLayer.Storage.PractitionerRoles;

/// <summary>
/// A practitioner's role at an organization (FHIR PractitionerRole), as imported: it makes the
/// practitioner a member of the organization for consent actor matching while active and in period.
/// </summary>
public sealed class PractitionerRoleRow
{
    public required string Id { get; set; }
    /// <summary><c>Practitioner/x</c>.</summary>
    public required string Practitioner { get; set; }
    /// <summary><c>Organization/o</c>, or null when the role names none.</summary>
    public string? Organization { get; set; }
    public bool Active { get; set; }
    public DateTimeOffset? PeriodStart { get; set; }
    public DateTimeOffset? PeriodEnd { get; set; }
    public long Revision { get; set; }

    public bool InForceAt(DateTimeOffset instant) =>
        Active && (PeriodStart is null || PeriodStart <= instant) && (PeriodEnd is null || instant < PeriodEnd);
}
