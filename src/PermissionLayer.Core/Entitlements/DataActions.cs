namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// The SMART v2 letters as flags. A check is <c>(required &amp; permitted) == required</c>: a compact
/// algebra instead of nested ifs, shared by scopes and grants.
/// </summary>
[Flags]
public enum DataActions : byte
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    Search = 16,
    All = Create | Read | Update | Delete | Search,
}
