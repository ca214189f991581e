namespace PermissionLayer.Storage.Changes;

/// <summary>
/// One committed entitlement change. Its <see cref="Revision"/> is the revision of the change: the
/// admin change log, the consistency token returned by writes and the Watch stream all read it.
/// </summary>
public sealed class EntitlementChangeRow
{
    public long Revision { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Reason { get; set; }
    /// <summary>What changed, e.g. <c>grant.created</c>, <c>grant.revoked</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>The entity whose facts changed, e.g. <c>Practitioner/a</c> or <c>Group/g</c>.</summary>
    public required string Subject { get; set; }
    /// <summary>JSON of the fact before the change (null for creations).</summary>
    public string? Before { get; set; }
    /// <summary>JSON of the fact after the change (null for deletions).</summary>
    public string? After { get; set; }
    /// <summary>
    /// The grain-held entities the change makes out of date (<see cref="ChangedEntity.Reference"/>):
    /// what every silo reloads before it reports this revision.
    /// </summary>
    public string[] Entities { get; set; } = [];
}
