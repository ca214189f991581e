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

    /// <summary>Only an active team inside its period (end exclusive) entitles anyone.</summary>
    public static bool InForce(string status, DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset at) =>
        status == "active" && (start is null || start <= at) && (end is null || at < end);

    /// <summary>
    /// Whether <paramref name="principal"/> takes part in the team at the instant: the team is in force
    /// (<see cref="InForce"/>) and one of the principal's own participations runs then. Evaluated at
    /// each decision, never once at import: a locum's access ends with their period, and a participant
    /// who starts next week has none today. A principal the team does not name never takes part.
    /// </summary>
    public static bool ParticipantInForce(
        string status, DateTimeOffset? start, DateTimeOffset? end, IEnumerable<CareTeamParticipant> participants,
        string principal, DateTimeOffset at) =>
        InForce(status, start, end, at)
        && participants.Any(p => string.Equals(p.Member, principal, StringComparison.Ordinal) && p.TakesPartAt(at));

    /// <summary>
    /// Why a participation cannot be stored, or null when it can: a period whose end is not after its
    /// start would never run, and is more likely a mistake than an intent.
    /// </summary>
    public static string? ValidatePeriod(DateTimeOffset? start, DateTimeOffset? end) =>
        start is { } from && end is { } until && until <= from ? "end must be after start" : null;
}
