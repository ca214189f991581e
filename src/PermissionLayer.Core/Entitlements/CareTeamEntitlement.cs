namespace PermissionLayer.Core.Entitlements;

/// <summary>What being on a care team entitles a participant to, and when a team counts.</summary>
public static class CareTeamEntitlement
{
    /// <summary>
    /// Participants may create, read, update and search their subject's data; deletion stays an
    /// administrative act that needs an explicit grant.
    /// </summary>
    public const DataActions ParticipantActions = DataActions.Create | DataActions.Read | DataActions.Update | DataActions.Search;

    public static readonly IReadOnlySet<string> Statuses =
        new HashSet<string>(StringComparer.Ordinal) { "proposed", "active", "suspended", "inactive", "entered-in-error" };

    /// <summary>Only an active team inside its period entitles anyone.</summary>
    public static bool InForce(string status, DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset at) =>
        status == "active" && (start is null || start <= at) && (end is null || at < end);
}
