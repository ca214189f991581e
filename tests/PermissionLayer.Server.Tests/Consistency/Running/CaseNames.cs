namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// Maps a case's local names to the ids loaded on the shared server (every id gets the case's prefix,
/// e.g. <c>s12-</c>), and server answers back to local names; ids of other cases map to null.
/// </summary>
internal sealed class CaseNames(string prefix)
{
    public string Prefix => prefix;

    public string Id(string local) => prefix + local;

    /// <summary><c>Practitioner/d0</c> → <c>Practitioner/s12-d0</c>; <c>*</c> stays.</summary>
    public string Reference(string local)
    {
        var slash = local.IndexOf('/');
        return slash < 0 ? local : $"{local[..slash]}/{prefix}{local[(slash + 1)..]}";
    }

    public string? LocalId(string id) => id.StartsWith(prefix, StringComparison.Ordinal) ? id[prefix.Length..] : null;

    /// <summary>
    /// A reference from an answer, in local names: <c>Practitioner/s12-d0#panel</c> → <c>Practitioner/d0#panel</c>;
    /// <c>*</c> stays; null when it belongs to another case.
    /// </summary>
    public string? LocalReference(string reference)
    {
        if (reference == "*")
        {
            return reference;
        }
        var slash = reference.IndexOf('/');
        if (slash < 0)
        {
            return null;
        }
        var id = LocalId(reference[(slash + 1)..]);
        return id is null ? null : $"{reference[..slash]}/{id}";
    }
}
