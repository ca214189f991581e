using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Validation;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Parses one JSON document into a FHIR R4 resource, strictly: unknown elements, bad codes, bad
/// literals and missing required elements are errors, because a misspelt <c>member</c> read leniently
/// would silently import an empty group.
/// </summary>
internal static partial class FhirResourceParser
{
    // Narrative is not checked: it is display text, never read for entitlements.
    private static readonly FhirJsonDeserializer Deserializer =
        new(new DeserializerSettings().UsingMode(DeserializationMode.Strict, NarrativeValidationKind.None));

    private const int ReportedIssues = 3;

    public static Resource Parse(string json, ResourceOrigin origin)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        try
        {
            var peek = reader;
            if (!peek.Read() || peek.TokenType != JsonTokenType.StartObject)
            {
                throw new FhirImportException(null, origin.Describe(), null, $"invalid FHIR JSON: expected an object, found {peek.TokenType}");
            }
            if (!Deserializer.TryDeserializeResource(ref reader, out var resource, out var issues))
            {
                throw Rejected(resource, [.. issues], origin);
            }
            // Anything after the resource (a second object, stray text) is rejected by the reader itself.
            reader.Read();
            return resource;
        }
        catch (JsonException exception)
        {
            throw new FhirImportException(null, origin.Describe(), null, $"invalid JSON: {exception.Message}");
        }
        catch (Exception exception) when (exception is not FhirImportException and not OperationCanceledException)
        {
            // The SDK's failure modes on hostile input are not all documented; any of them means the
            // input is not a resource we can read, never a reason to import part of it.
            throw new FhirImportException(null, origin.Describe(), null, $"invalid FHIR JSON: {exception.Message}");
        }
    }

    private static FhirImportException Rejected(Resource? partial, IReadOnlyList<CodedException> issues, ResourceOrigin origin)
    {
        var first = issues.Count > 0 ? PathOf(issues[0]) : null;
        var name = NameOf(partial);
        var prefix = name is null ? null : partial!.TypeName;
        // Blame a bad Bundle entry's resource, not the Bundle, so the message names what to fix.
        if (partial is Bundle bundle && first is not null && EntryPath().Match(first) is { Success: true } match)
        {
            var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (index < bundle.Entry.Count && bundle.Entry[index].Resource is { } entryResource)
            {
                name = NameOf(entryResource);
                origin = origin.InEntry(index);
                prefix = entryResource.TypeName;
                issues = [.. issues.Where(issue => PathOf(issue)?.StartsWith(match.Value, StringComparison.Ordinal) ?? false)];
                return Compose(name, origin, issues, path => entryResource.TypeName + path[match.Value.Length..]);
            }
        }
        // The SDK names the root "$this"; say the resource type instead, or nothing when it is unknown.
        return Compose(name, origin, issues, path => prefix is null ? ThisPrefix().Replace(path, "").TrimStart('.') : ThisPrefix().Replace(path, prefix));
    }

    private static FhirImportException Compose(string? name, ResourceOrigin origin, IReadOnlyList<CodedException> issues, Func<string, string> rewrite)
    {
        if (issues.Count == 0)
        {
            return new FhirImportException(name, origin.Describe(), null, "is not a valid FHIR R4 resource");
        }
        var described = issues.Take(ReportedIssues).Select(issue => Describe(issue, rewrite));
        var more = issues.Count > ReportedIssues ? $"; and {issues.Count - ReportedIssues} more" : "";
        var path = PathOf(issues[0]) is { } first && rewrite(first) is { Length: > 0 } rewritten ? rewritten : null;
        var problems = string.Join("; ", described);
        // The first issue's path leads the message; its text follows it directly.
        var problem = path is not null && problems.StartsWith(path + " ", StringComparison.Ordinal) ? problems[(path.Length + 1)..] : problems;
        return new FhirImportException(name, origin.Describe(), path, problem + more);
    }

    private static string Describe(CodedException issue, Func<string, string> rewrite)
    {
        if (issue is not ExtendedCodedException detail)
        {
            return issue.Message;
        }
        var at = detail.LineNumber is { } line ? $" (JSON line {line}, position {detail.Position})" : "";
        var text = ThisInText().Replace(detail.BaseErrorMessage.TrimEnd('.'), match => rewrite(match.Value));
        var path = string.IsNullOrEmpty(detail.InstancePath) ? "" : rewrite(detail.InstancePath);
        return path.Length == 0 ? text + at : $"{path} {text}{at}";
    }

    private static string? PathOf(CodedException issue) =>
        issue is ExtendedCodedException { InstancePath: { Length: > 0 } path } ? path : null;

    // A resource of an unknown type comes back as a placeholder whose name means nothing to the sender.
    private static string? NameOf(Resource? resource) => resource switch
    {
        null => null,
        _ when !ModelInfo.IsKnownResource(resource.TypeName) => null,
        { Id: { Length: > 0 } id } => $"{resource.TypeName}/{id}",
        _ => resource.TypeName,
    };

    [GeneratedRegex(@"^Bundle\.entry\[(\d+)\]\.resource")]
    private static partial Regex EntryPath();

    [GeneratedRegex(@"^\$this")]
    private static partial Regex ThisPrefix();

    [GeneratedRegex(@"\$this[\w.\[\]]*")]
    private static partial Regex ThisInText();
}
