using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Turns the SDK's deserialization issues into one <see cref="FhirImportException"/> in this service's
/// words: the resource at fault (a Bundle entry's own resource rather than the Bundle), its FHIR path,
/// and the first few problems with their JSON positions.
/// </summary>
internal static partial class DeserializationIssues
{
    private const int ReportedIssues = 3;

    public static FhirImportException ToException(Resource? partial, IReadOnlyList<CodedException> issues, ResourceOrigin origin)
    {
        var first = issues.Count > 0 ? PathOf(issues[0]) : null;
        var name = NameOf(partial);
        var prefix = name is null ? null : partial!.TypeName;
        // Blame a bad Bundle entry's resource, not the Bundle, so the message names what to fix.
        if (partial is Bundle bundle && first is not null && EntryPath().Match(first) is { Success: true } match)
        {
            var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
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
