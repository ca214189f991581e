namespace PermissionLayer.Core.Consents;

/// <summary>
/// A half-open interval [Start, End); either end may be open. A bound given as a date (or a time
/// without a time zone) names an instant only up to the time zone it was meant in: the day of
/// <c>2030-06-02</c> begins anywhere from 14 hours before to 12 hours after midnight UTC. Such a
/// bound is <em>zoneless</em>, and the period then surely covers only what it covers in every zone
/// and may cover what it covers in some.
/// </summary>
public sealed record ConsentPeriod(DateTimeOffset? Start, DateTimeOffset? End)
{
    /// <summary>How far a zoneless bound may lie from its UTC reading (UTC−12 to UTC+14).</summary>
    public static readonly TimeSpan ZoneSpread = TimeSpan.FromHours(14);

    public bool StartZoneless { get; init; }
    public bool EndZoneless { get; init; }

    /// <summary>Covered whatever time zone the zoneless bounds were meant in.</summary>
    public bool SurelyCovers(DateTimeOffset instant) => Within(instant, +1);

    /// <summary>Covered in at least one time zone the zoneless bounds may have been meant in.</summary>
    public bool MayCover(DateTimeOffset instant) => Within(instant, -1);

    /// <summary><paramref name="narrow"/> +1 moves zoneless bounds inwards, −1 outwards.</summary>
    private bool Within(DateTimeOffset instant, int narrow)
    {
        var start = StartZoneless ? Start + narrow * ZoneSpread : Start;
        var end = EndZoneless ? End - narrow * ZoneSpread : End;
        return (start is null || start <= instant) && (end is null || instant < end);
    }

    public override string ToString() =>
        $"{Start?.ToString("O") ?? "…"}{(StartZoneless ? " (no time zone)" : "")} – {End?.ToString("O") ?? "…"}{(EndZoneless ? " (no time zone)" : "")}";
}
