namespace PermissionLayer.Storage.Groups;

/// <summary>One patient's membership of a group, with its period (open ends are null).</summary>
public sealed record GroupMembership(string PatientId, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd)
{
    public bool IsEffectiveAt(DateTimeOffset instant) =>
        (PeriodStart is null || PeriodStart <= instant) && (PeriodEnd is null || instant < PeriodEnd);
}
