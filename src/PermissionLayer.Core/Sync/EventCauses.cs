namespace PermissionLayer.Core.Sync;

/// <summary>
/// What an event's <c>because</c> may say to the requester. The changed entities of a recompute are
/// its own dependencies (its principals, its client, the sets and care teams it is granted or on),
/// which it may know; a consent is another matter: that a patient has one, or withdrew it, is that
/// patient's data. So a consent is named only on its own patient's event, never on another's — not
/// even when nothing else explains the event (then it says "recomputed").
/// </summary>
public static class EventCauses
{
    public const string Recomputed = "recomputed";

    public static IReadOnlyList<string> For(string patient, IEnumerable<SyncEntity> changed, IEnumerable<string> boundaries)
    {
        var because = changed
            .Where(e => e.Kind != SyncEntity.Consent || e.Key == patient)
            .Select(e => e.Describe())
            .Concat(boundaries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return because.Count > 0 ? because : [Recomputed];
    }
}
