using PermissionLayer.Core.Consents;

namespace PermissionLayer.Core.Sync;

/// <summary>
/// The instants at which a compiled consent's verdict may change with time: every provision period's
/// bounds. A zoneless bound (a date) may mean any instant within <see cref="ConsentPeriod.ZoneSpread"/>
/// of its UTC reading, and the evaluator reads it narrowly or widely by outcome, so both edges count.
/// </summary>
public static class ConsentBoundaries
{
    public static IEnumerable<DateTimeOffset> Of(CompiledConsent consent) => Of(consent.Root);

    private static IEnumerable<DateTimeOffset> Of(ConsentProvision provision)
    {
        if (provision.Period is { } period)
        {
            foreach (var instant in Bound(period.Start, period.StartZoneless).Concat(Bound(period.End, period.EndZoneless)))
            {
                yield return instant;
            }
        }
        foreach (var child in provision.Children)
        {
            foreach (var instant in Of(child))
            {
                yield return instant;
            }
        }
    }

    private static IEnumerable<DateTimeOffset> Bound(DateTimeOffset? bound, bool zoneless)
    {
        if (bound is not { } at)
        {
            yield break;
        }
        yield return at;
        if (zoneless)
        {
            yield return at - ConsentPeriod.ZoneSpread;
            yield return at + ConsentPeriod.ZoneSpread;
        }
    }
}
