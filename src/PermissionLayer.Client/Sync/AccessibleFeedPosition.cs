namespace PermissionLayer.Client.Sync;

/// <summary>
/// Where a device's set stands: the revision it is right at and the context digest of the request it
/// was computed for. Persist both; a position resumes only the request it came from (another user,
/// client, scopes or fhirContext starts with a fresh snapshot). <see cref="Start"/>: no set yet.
/// </summary>
public sealed record AccessibleFeedPosition(long Revision, string ContextDigest)
{
    public static readonly AccessibleFeedPosition Start = new(0, "");
}
