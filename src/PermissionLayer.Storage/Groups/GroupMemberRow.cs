namespace PermissionLayer.Storage.Groups;

/// <summary>Group/<see cref="GroupId"/> contains Patient/<see cref="PatientId"/> during a period.</summary>
public sealed class GroupMemberRow
{
    public required string GroupId { get; set; }
    public required string PatientId { get; set; }
    public DateTimeOffset? PeriodStart { get; set; }
    public DateTimeOffset? PeriodEnd { get; set; }
    public long Revision { get; set; }
}
