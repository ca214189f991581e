using System.Text.RegularExpressions;
using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// Just enough of SMART-SCOPES.md for the WhoCanSee converse: the token's v2 resource scopes the
/// client's ceiling keeps (same context, a type it names or <c>*</c>, no extra letter), and whether
/// one of them permits reading an Observation of the patient.
/// </summary>
internal static partial class ScopeModel
{
    private sealed record Scope(string Context, string Type, string Letters);

    /// <summary>Whether the token's kept scopes permit the read, and whether a user/ or patient/ scope does (so the user term applies).</summary>
    public static (bool Permits, bool UserTerm) ReadsObservation(TokenSpec token, ClientSpec? client, string patient)
    {
        var permitting = Kept(token, client).Where(s => s.Letters.Contains('r') && (s.Type is "*" or ReferenceModel.ResourceType)
            && s.Context switch
            {
                "user" => token.User is not null,
                "patient" => token.User is not null && token.Launch == patient,
                _ => token.User is null,
            }).ToList();
        return (permitting.Count > 0, permitting.Any(s => s.Context != "system"));
    }

    private static IEnumerable<Scope> Kept(TokenSpec token, ClientSpec? client)
    {
        var scopes = Parse(token.Scope);
        return client?.Status switch
        {
            null => scopes,
            "active" => scopes.Where(s => Parse(client.Ceiling).Any(c =>
                c.Context == s.Context && (c.Type == "*" || c.Type == s.Type) && s.Letters.All(c.Letters.Contains))),
            _ => [],
        };
    }

    private static List<Scope> Parse(string scopes) =>
        [.. scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => ResourceScope().Match(s)).Where(m => m.Success)
            .Select(m => new Scope(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))];

    [GeneratedRegex(@"^(patient|user|system)/([A-Za-z]+|\*)\.([cruds]+)$")]
    private static partial Regex ResourceScope();
}
