namespace PermissionLayer.Core.Sync;

/// <summary>
/// When time alone can change a requester's set: the instants at which a period that affects it (a
/// grant's validity, a membership, a care team or a participation, a practitioner role, a consent
/// provision) starts or ends. Between two such instants, with no commit touching it, the set stands still.
/// </summary>
public static class PeriodBoundaries
{
    /// <summary>The first boundary strictly after <paramref name="now"/>; null when none lies ahead.</summary>
    public static DateTimeOffset? Next(IEnumerable<DateTimeOffset> boundaries, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var instant in boundaries)
        {
            if (instant > now && (next is null || instant < next))
            {
                next = instant;
            }
        }
        return next;
    }

    /// <summary>Whether a boundary lies in (<paramref name="from"/>, <paramref name="to"/>]: the set may have changed with time.</summary>
    public static bool Passed(IEnumerable<DateTimeOffset> boundaries, DateTimeOffset from, DateTimeOffset to) =>
        boundaries.Any(b => b > from && b <= to);

    /// <summary>The bounds of periods (either end may be open) as boundaries.</summary>
    public static IEnumerable<DateTimeOffset> Of(IEnumerable<(DateTimeOffset? Start, DateTimeOffset? End)> periods)
    {
        foreach (var (start, end) in periods)
        {
            if (start is { } s)
            {
                yield return s;
            }
            if (end is { } e)
            {
                yield return e;
            }
        }
    }
}
