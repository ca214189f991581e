namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// One participation in a care team: <paramref name="Member"/> (a user reference such as
/// <c>Practitioner/x</c>) takes part from <paramref name="PeriodStart"/> until
/// <paramref name="PeriodEnd"/> (exclusive; null bounds are open). A member who took part twice
/// (a locum who came back) has two participations.
/// </summary>
public sealed record CareTeamParticipant(string Member, DateTimeOffset? PeriodStart = null, DateTimeOffset? PeriodEnd = null)
{
    /// <summary>Whether this participation runs at the instant.</summary>
    public bool TakesPartAt(DateTimeOffset at) => (PeriodStart is null || PeriodStart <= at) && (PeriodEnd is null || at < PeriodEnd);
}
