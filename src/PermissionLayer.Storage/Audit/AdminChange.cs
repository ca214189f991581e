namespace PermissionLayer.Storage.Audit;

/// <summary>
/// One admin write: what was done (<see cref="Operation"/>, e.g. <c>CreateGrant</c>) to what
/// (<see cref="Target"/>, e.g. <c>Practitioner/x</c>), by whom and why, with the state before and
/// after as JSON (null where there was none).
/// </summary>
public sealed record AdminChange(string Operation, string Target, string Actor, string Reason, string? BeforeJson, string? AfterJson)
{
    public Guid ChangeId { get; init; } = Guid.CreateVersion7();
    public DateTimeOffset ChangedAt { get; init; } = AuditedTime.Now();
}
