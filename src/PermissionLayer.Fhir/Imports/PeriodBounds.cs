using Hl7.Fhir.Model;
using PermissionLayer.Core.Consents;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Converts a FHIR Period to a half-open interval. FHIR's end is inclusive at its precision
/// (<c>end: 2024-03</c> includes all of March), so the end becomes the first instant after it.
/// A bound without a time zone (a date, or a dateTime lacking one) is ambiguous by up to
/// <see cref="ConsentPeriod.ZoneSpread"/>, and is read so the answer can only be narrower: a period
/// that entitles (membership, participation, role) is read at its narrowest, in every time zone at
/// once; a consent's period keeps both readings (<see cref="ConsentPeriod"/>), so that a deny near its
/// bound counts and a permit does not.
/// </summary>
internal static class PeriodBounds
{
    /// <summary>A period that gives access: zoneless bounds moved inwards by the spread of time zones.</summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End) Entitling(Period? period, string path, ResourceScope scope)
    {
        if (Read(period, path, scope) is not { } read)
        {
            return (null, null);
        }
        var start = read.StartZoneless ? read.Start + ConsentPeriod.ZoneSpread : read.Start;
        var end = read.EndZoneless ? read.End - ConsentPeriod.ZoneSpread : read.End;
        if (start is not null && end is not null && end <= start)
        {
            throw scope.Fail(path,
                $"'{period!.Start}' to '{period.End}' read in every time zone is empty (a date's day begins up to 14 hours " +
                "before or after it does in UTC); give start and end as dateTimes with a time zone");
        }
        return (start, end);
    }

    /// <summary>A consent's period, with its zoneless bounds marked.</summary>
    public static ConsentPeriod? Consenting(Period? period, string path, ResourceScope scope) =>
        Read(period, path, scope) is { } read && (read.Start is not null || read.End is not null)
            ? new ConsentPeriod(read.Start, read.End) { StartZoneless = read.StartZoneless, EndZoneless = read.EndZoneless }
            : null;

    private sealed record Reading(DateTimeOffset? Start, bool StartZoneless, DateTimeOffset? End, bool EndZoneless);

    private static Reading? Read(Period? period, string path, ResourceScope scope)
    {
        if (period is null)
        {
            return null;
        }
        var start = Instant(period.StartElement, $"{path}.start", scope);
        var end = Instant(period.EndElement, $"{path}.end", scope);
        // In UTC: the same instant, and the only offset PostgreSQL's timestamptz (through Npgsql) stores;
        // a +01:00 bound kept as given failed the import with INTERNAL.
        var reading = new Reading(start?.Range.Start?.ToUniversalTime(), start?.Zoneless ?? false, end?.Range.End?.ToUniversalTime(), end?.Zoneless ?? false);
        if (reading.Start is not null && reading.End is not null && reading.End <= reading.Start)
        {
            throw scope.Fail(path, $"end '{period.End}' is before start '{period.Start}'");
        }
        return reading;
    }

    /// <summary>The instants a value spans read in UTC, and whether it lacks a time zone.</summary>
    private static (Hl7.Fhir.ElementModel.Types.DateTimeRange Range, bool Zoneless)? Instant(FhirDateTime? value, string path, ResourceScope scope)
    {
        if (value?.Value is null)
        {
            return null;
        }
        if (!value.TryToSystemDateTime(out var instant) || instant is null)
        {
            throw scope.Fail(path, $"'{value.Value}' is not a valid dateTime");
        }
        return (instant.GetRange(TimeSpan.Zero), !instant.HasOffset);
    }
}
