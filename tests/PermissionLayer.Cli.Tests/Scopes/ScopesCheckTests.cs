using System.Text.Json;
using System.Text.Json.Nodes;

namespace PermissionLayer.Cli.Tests.Scopes;

/// <summary><c>plctl scopes check</c> answers the shared SMART examples from the command line.</summary>
public sealed class ScopesCheckTests
{
    [Fact]
    public async Task Answers_every_shared_example_as_recommended()
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Scopes", "smart-scope-examples.tsv"));
        var header = rows[0].Split('\t').ToList();
        var expected = new Dictionary<string, string>();
        var input = new List<string>();
        foreach (var row in rows.Skip(1).Where(r => r.Length > 0))
        {
            var cells = row.Split('\t');
            string Cell(string name) => cells[header.IndexOf(name)];
            expected[Cell("id")] = Cell("recommended");
            input.Add(ToJsonLine(Cell("id"), Cell("scopes"), Cell("token_patient"), Cell("interaction"), Cell("resource_type"),
                Cell("resource_patient"), Cell("resource_attrs")));
        }

        var (exitCode, output, error) = await Plctl.RunAsync(string.Join('\n', input) + "\n", "scopes", "check");
        Assert.True(exitCode == 0, error);
        var answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(expected.Count, answers.Count);
        foreach (var answer in answers)
        {
            var id = answer["id"]!.GetValue<string>();
            Assert.True(expected[id] == answer["outcome"]!.GetValue<string>(), $"{id}: {answer.ToJsonString()}");
            Assert.False(string.IsNullOrEmpty(answer["reason"]!.GetValue<string>()));
        }
        var search = answers.Single(a => a["id"]!.GetValue<string>() == "sys-search-type-filter");
        Assert.Equal("Observation", search["filter"]!["types"]![0]!.GetValue<string>());
        Assert.Equal("123", search["filter"]!["anyOf"]![0]!["compartmentPatient"]!.GetValue<string>());
    }

    [Fact]
    public async Task Extracts_facts_from_fhir_json_and_reports_bad_lines_without_stopping()
    {
        const string input = """
        {"id":"fhir","scopes":"patient/Observation.rs","patient":"123","interaction":"read","resourceType":"Observation","resource":{"fhir":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/123"}}}}
        this is not json
        {"id":"typo","scopes":"patient/Observation.rs","interaction":"reed","resourceType":"Observation"}
        {"id":"other","scopes":"patient/Observation.rs","patient":"123","interaction":"read","resourceType":"Observation","resource":{"fhir":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/456"}}}}
        """;
        var (exitCode, output, _) = await Plctl.RunAsync(input, "scopes", "check");
        Assert.Equal(0, exitCode);
        var answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["permit", "error", "error", "deny"], answers.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal("typo", answers[2].GetProperty("id").GetString());
        Assert.Contains("reed", answers[2].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_line_with_a_lone_surrogate_is_an_error_and_the_next_line_is_still_answered()
    {
        const string input = """
        {"id":"bad\ud800","scopes":"patient/Observation.rs","patient":"123","interaction":"read","resourceType":"Observation"}
        {"id":"bad-scope","scopes":"patient/Observation.rs?code=\udfff","patient":"123","interaction":"read","resourceType":"Observation"}
        {"id":"next","scopes":"patient/Observation.rs","patient":"123","interaction":"read","resourceType":"Observation","resource":{"fhir":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/123"}}}}
        """;
        var (exitCode, output, error) = await Plctl.RunAsync(input, "scopes", "check");
        Assert.True(exitCode == 0, error);
        var answers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["error", "error", "permit"], answers.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal("next", answers[2].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Help_explains_the_line_format()
    {
        var (exitCode, output, _) = await Plctl.RunAsync("", "scopes", "check", "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("JSON Lines", output);
        Assert.Contains("search-type", output);
    }

    private static string ToJsonLine(string id, string scopes, string patient, string interaction, string type, string resourcePatient, string attributes)
    {
        var line = new JsonObject
        {
            ["id"] = id,
            ["scopes"] = scopes,
            ["interaction"] = interaction == "search" ? (type == "*" ? "search-system" : "search-type") : interaction,
            ["resourceType"] = type,
        };
        if (patient.Length > 0)
        {
            line["patient"] = patient;
        }
        var stored = new JsonObject { ["patients"] = resourcePatient.Length > 0 ? new JsonArray(resourcePatient) : new JsonArray() };
        var storedAttributes = new JsonObject();
        foreach (var attribute in attributes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (attribute.StartsWith("query:", StringComparison.Ordinal))
            {
                line["query"] = attribute["query:".Length..];
            }
            else if (attribute.StartsWith("new.subject=Patient/", StringComparison.Ordinal))
            {
                line["newResource"] = new JsonObject { ["patients"] = new JsonArray(attribute["new.subject=Patient/".Length..]) };
            }
            else if (attribute.StartsWith("new.id=", StringComparison.Ordinal))
            {
                line["newResource"] = new JsonObject { ["patients"] = new JsonArray() };
            }
            else if (attribute == "conditional=query")
            {
                line["conditional"] = true;
            }
            else
            {
                var (name, value) = (attribute[..attribute.IndexOf('=')], attribute[(attribute.IndexOf('=') + 1)..]);
                storedAttributes[name] = new JsonArray(value);
            }
        }
        stored["attributes"] = storedAttributes;
        if (interaction != "create")
        {
            line["resource"] = stored;
        }
        return line.ToJsonString();
    }
}
