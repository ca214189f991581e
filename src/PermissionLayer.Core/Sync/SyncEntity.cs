namespace PermissionLayer.Core.Sync;

/// <summary>
/// An entity a committed change alters, as the change log names it (<c>kind:key</c>, the kinds of
/// <c>Storage.Changes.ChangedEntity</c>): the feed asks whether it is one a requester's set depends on.
/// </summary>
public sealed record SyncEntity(string Kind, string Key)
{
    public const string Principal = "principal";
    public const string Client = "client";
    public const string Consent = "consent";
    public const string PatientSet = "group";
    public const string CareTeam = "careteam";

    /// <summary>How an event's <c>because</c> names it.</summary>
    public string Describe() => Kind switch
    {
        Principal => Key,
        Client => $"Client/{Key}",
        Consent => $"Consent of Patient/{Key}",
        PatientSet => Key.Contains('/') ? Key : $"Group/{Key}",
        CareTeam => $"CareTeam/{Key}",
        _ => $"{Kind}:{Key}",
    };
}
