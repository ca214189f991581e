namespace PermissionLayer.Grains.Abstractions.Clients;

/// <summary>
/// A client application's registration: whether it may be used at all, and the ceiling of SMART
/// scopes its tokens may carry (a scope string). The patients it reaches are its grants, as for any
/// principal (<c>Client/&lt;client_id&gt;</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClientRegistration(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status,
    [property: Id(3)] string ScopeCeiling,
    [property: Id(4)] long Revision)
{
    public const string Active = "active";
    public const string Suspended = "suspended";

    public static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal) { Active, Suspended };

    public bool IsActive => Status == Active;
}

/// <summary>A registration to create or replace, with who asks and why.</summary>
[GenerateSerializer, Immutable]
public sealed record ClientRegistrationDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] string Status,
    [property: Id(2)] string ScopeCeiling,
    [property: Id(3)] string Actor,
    [property: Id(4)] string Reason,
    [property: Id(5)] long? ExpectedRevision = null);
