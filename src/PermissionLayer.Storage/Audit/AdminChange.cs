namespace PermissionLayer.Storage.Audit;

/// <summary>
/// One committed admin change as the admin change log shows it: its revision, what kind of change
/// (<see cref="Operation"/>, e.g. <c>grant.created</c>) to what (<see cref="Target"/>, e.g.
/// <c>Practitioner/x</c>), by whom and why, with the state before and after as JSON (null where there
/// was none).
/// </summary>
public sealed record AdminChange(
    long Revision, DateTimeOffset ChangedAt, string Operation, string Target, string Actor, string Reason, string? BeforeJson, string? AfterJson);
