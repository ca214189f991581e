namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>
/// The cases' time axis. Every window endpoint and instant is an offset from <see cref="T0"/>, years
/// ahead of the wall clock: a grant written without valid_from starts "now" (wall time), so it is
/// already in force at every instant, as the reference model assumes of an open start.
/// </summary>
internal static class CaseTime
{
    public static readonly DateTimeOffset T0 = new(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double days) => T0.AddDays(days);

    public static string Describe(DateTimeOffset? instant)
    {
        if (instant is null)
        {
            return "…";
        }
        var days = (instant.Value - T0).TotalDays;
        return days == 0 ? "T0" : $"T0{(days > 0 ? "+" : "")}{days:0.##}d";
    }
}
