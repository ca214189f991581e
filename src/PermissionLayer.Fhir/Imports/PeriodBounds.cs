using Hl7.Fhir.Model;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Converts a FHIR Period to a half-open interval. FHIR's end is inclusive at its precision
/// (<c>end: 2024-03</c> includes all of March), so the end becomes the first instant after it;
/// values without a time zone are read as UTC.
/// </summary>
internal static class PeriodBounds
{
    public static (DateTimeOffset? Start, DateTimeOffset? End) Read(Period? period, string path, ResourceScope scope)
    {
        if (period is null)
        {
            return (null, null);
        }
        var start = Range(period.StartElement, $"{path}.start", scope)?.Start;
        var end = Range(period.EndElement, $"{path}.end", scope)?.End;
        if (start is not null && end is not null && end <= start)
        {
            throw scope.Fail(path, $"end '{period.End}' is before start '{period.Start}'");
        }
        return (start, end);
    }

    private static Hl7.Fhir.ElementModel.Types.DateTimeRange? Range(FhirDateTime? value, string path, ResourceScope scope)
    {
        if (value?.Value is null)
        {
            return null;
        }
        if (!value.TryToSystemDateTime(out var instant) || instant is null)
        {
            throw scope.Fail(path, $"'{value.Value}' is not a valid dateTime");
        }
        return instant.GetRange(TimeSpan.Zero);
    }
}
