using PermissionLayer.Core.Imports;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Tests.Imports;

public sealed class NdjsonTests
{
    private readonly FhirImportReader _reader = new();

    [Fact]
    public async Task Stream_yields_each_lines_facts_and_skips_blank_lines()
    {
        using var text = new StreamReader(Fixture.PathOf("import.ndjson"));

        var facts = await ToListAsync(_reader.ReadNdjsonAsync(text, TestContext.Current.CancellationToken));

        Assert.Equal(
            ["Group/ward-4b", "CareTeam/diabetes-team", "List/panel-dr-smith", "PractitionerRole/example", "Consent/consent-pat1", "Group/herd1", "PractitionerRole/locum"],
            facts.Select(fact => fact.Resource.ToString()));
    }

    [Fact]
    public async Task Bad_line_fails_the_stream_naming_its_line_number()
    {
        var lines = string.Join('\n',
            """{"resourceType":"Group","id":"g0","type":"person","actual":true}""",
            "",
            """{"resourceType":"Group","id":"g1","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/p"}},{"entity":{"reference":"Patient/q"}},{"entity":{"reference":"Practitioner/x"}}]}""");

        var error = await Assert.ThrowsAsync<FhirImportException>(
            () => ToListAsync(_reader.ReadNdjsonAsync(new StringReader(lines), TestContext.Current.CancellationToken)));

        Assert.Equal("Group/g1 (line 3): Group.member[2].entity.reference 'Practitioner/x' must reference a Patient", error.Message);
    }

    [Fact]
    public async Task Invalid_json_line_names_the_line()
    {
        var lines = """{"resourceType":"Group","id":"g0","type":"person","actual":true}""" + "\n{not json";

        var error = await Assert.ThrowsAsync<FhirImportException>(
            () => ToListAsync(_reader.ReadNdjsonAsync(new StringReader(lines), TestContext.Current.CancellationToken)));

        Assert.StartsWith("resource (line 2): invalid JSON", error.Message);
    }

    [Fact]
    public async Task Same_resource_on_two_lines_is_rejected_naming_both()
    {
        var line = """{"resourceType":"Group","id":"g0","type":"person","actual":true}""";

        var error = await Assert.ThrowsAsync<FhirImportException>(
            () => ToListAsync(_reader.ReadNdjsonAsync(new StringReader(line + "\n" + line), TestContext.Current.CancellationToken)));

        Assert.Equal("Group/g0 (line 2): appears twice in one import (also at line 1); send one version of each resource", error.Message);
    }

    [Fact]
    public async Task Cancellation_stops_the_stream()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ToListAsync(_reader.ReadNdjsonAsync(new StringReader("{}"), cancelled.Token)));
    }

    internal static async Task<List<ImportedFact>> ToListAsync(IAsyncEnumerable<ImportedFact> facts)
    {
        var list = new List<ImportedFact>();
        await foreach (var fact in facts)
        {
            list.Add(fact);
        }
        return list;
    }
}
