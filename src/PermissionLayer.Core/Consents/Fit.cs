namespace PermissionLayer.Core.Consents;

/// <summary>
/// How one provision element fits a request: it does not, it may (the request lacks what would
/// decide it), or it does. Ordered so that less information can only move an answer to Maybe.
/// </summary>
internal enum Fit
{
    No,
    Maybe,
    Yes,
}

internal static class Fits
{
    public static Fit Of(bool yes) => yes ? Fit.Yes : Fit.No;

    /// <summary>A period with a zoneless bound (a date) may cover an instant near that bound.</summary>
    public static Fit Within(ConsentPeriod period, DateTimeOffset instant) =>
        period.SurelyCovers(instant) ? Fit.Yes : period.MayCover(instant) ? Fit.Maybe : Fit.No;

    /// <summary>Alternatives (OR): one that fits is enough; else one that may fit makes a Maybe.</summary>
    public static Fit AnyOf<T>(IEnumerable<T> alternatives, Func<T, Fit> fit)
    {
        var best = Fit.No;
        foreach (var alternative in alternatives)
        {
            var f = fit(alternative);
            if (f == Fit.Yes)
            {
                return Fit.Yes;
            }
            if (f == Fit.Maybe)
            {
                best = Fit.Maybe;
            }
        }
        return best;
    }

    /// <summary>Requirements (AND): one that does not fit is a No; else one that may fit makes a Maybe.</summary>
    public static Fit And(this Fit a, Fit b) => a == Fit.No || b == Fit.No ? Fit.No : a == Fit.Maybe || b == Fit.Maybe ? Fit.Maybe : Fit.Yes;

    /// <summary>A No that rests on lists which may be incomplete is only a Maybe.</summary>
    public static Fit UnlessIncomplete(this Fit fit, bool complete) => fit == Fit.No && !complete ? Fit.Maybe : fit;
}
