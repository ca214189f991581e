using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Fhir.Tests.Scopes;

/// <summary>One row of smart-scope-examples.tsv, turned into a scope request.</summary>
public sealed record SharedScopeExample(string Id, string Scopes, string? TokenPatient, string Interaction, string ResourceType,
    string? ResourcePatient, string Attributes, string Recommended, string Obligation)
{
    public override string ToString() => Id;

    public static IEnumerable<SharedScopeExample> All()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Scopes", "smart-scope-examples.tsv"));
        var header = lines[0].Split('\t').ToList();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split('\t');
            string Cell(string name) => cells.ElementAtOrDefault(header.IndexOf(name)) ?? "";
            yield return new SharedScopeExample(Cell("id"), Cell("scopes"), NullIfEmpty(Cell("token_patient")), Cell("interaction"),
                Cell("resource_type"), NullIfEmpty(Cell("resource_patient")), Cell("resource_attrs"), Cell("recommended"), Cell("obligation"));
        }
    }

    public ScopeRequest ToRequest()
    {
        var interaction = Interaction switch
        {
            "search" when ResourceType == "*" => Core.Requests.Interaction.SearchSystem,
            "search" => Core.Requests.Interaction.SearchType,
            _ when InteractionNames.TryParse(Interaction, out var parsed) => parsed,
            _ => throw new InvalidDataException($"{Id}: unknown interaction {Interaction}"),
        };
        var stored = new ResourceFacts { Complete = true, Patients = ResourcePatient is null ? [] : [ResourcePatient] };
        ResourceFacts? proposed = null;
        var query = "";
        var conditional = false;
        foreach (var attribute in Attributes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (attribute.StartsWith("query:", StringComparison.Ordinal))
            {
                query = attribute["query:".Length..];
            }
            else if (attribute.StartsWith("new.subject=Patient/", StringComparison.Ordinal))
            {
                proposed = new ResourceFacts { Complete = true, Patients = [attribute["new.subject=Patient/".Length..]] };
            }
            else if (attribute.StartsWith("new.id=", StringComparison.Ordinal))
            {
                proposed = new ResourceFacts { Complete = true, Patients = attribute.Length > "new.id=".Length ? [attribute["new.id=".Length..]] : [] };
            }
            else if (attribute.StartsWith("category=", StringComparison.Ordinal))
            {
                stored = stored with { Category = [Token.Parse(attribute["category=".Length..])] };
            }
            else if (attribute.StartsWith("code=", StringComparison.Ordinal))
            {
                stored = stored with { Code = [Token.Parse(attribute["code=".Length..])] };
            }
            else if (attribute == "conditional=query")
            {
                conditional = true;
            }
            else
            {
                throw new InvalidDataException($"{Id}: unknown attribute {attribute}");
            }
        }
        return new ScopeRequest
        {
            Interaction = interaction,
            Conditional = conditional,
            ResourceType = ResourceType,
            LaunchPatient = TokenPatient,
            Stored = interaction == Core.Requests.Interaction.Create ? null : stored,
            Proposed = proposed,
            Query = SearchQuery.Parse(query),
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
