using Hl7.Fhir.Model;
using PermissionLayer.Core.Consents;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Converts a FHIR Period to a half-open interval. FHIR's end is inclusive at its precision
/// (<c>end: 2024-03</c> includes all of March), so the end becomes the first instant after it.
/// A bound without a time zone (a date, or a dateTime lacking one) is read as UTC in a period that
/// entitles (README, "Import"); a consent's period keeps every reading (<see cref="ConsentPeriod"/>:
/// within <see cref="ConsentPeriod.ZoneSpread"/> of such a bound a deny counts and a permit does not),
/// because a patient's statement is not the deployment's to reinterpret.
/// </summary>
internal static class PeriodBounds
{
    /// <summary>
    /// A period that gives access (membership, participation, role), zoneless bounds read as UTC. The
    /// same reading decides whether the requester is a consent actor through it (an organization, a care
    /// team), so access and the consents about the requester always agree on when it ran.
    /// </summary>
    public static (DateTimeOffset? Start, DateTimeOffset? End) Entitling(Period? period, string path, ResourceScope scope) =>
        Read(period, path, scope) is { } read ? (read.Start, read.End) : (null, null);

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
