using System.Net;
using System.Text.Json.Nodes;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>
/// Step 4: searches decided with the query, the obligation written into the upstream query, every
/// returned entry checked again, pages refilled and linked through the gateway.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SearchTests(GatewayFixture fixture)
{
    private HttpClient Alice() => fixture.Gateway.Client(fixture.Token("user/*.rs"));

    /// <summary>
    /// What Dr Alice may see of a type, from what the upstream holds now (other test classes write to
    /// her panel): her panel's resources, less the opted-out patient, HIV labels and foreign performers.
    /// </summary>
    private async Task<HashSet<string>> AliceSees(string type) =>
    [
        .. (await fixture.Upstream.Http.AllPagesAsync($"{type}?_count=1000")).SelectMany(p => p.Resources)
            .Where(r => (string)r["resourceType"]! == type)
            .Where(r => GatewayFixture.Panel.Contains(FhirCalls.PatientOf(r)) && FhirCalls.PatientOf(r) != GatewayFixture.OptedOut)
            .Where(r => r["meta"]?["security"] is null && r["performer"] is null)
            .Select(r => (string)r["id"]!),
    ];

    [Fact]
    public async Task The_offline_practitioner_sees_exactly_her_panels_data_across_types()
    {
        using var client = Alice();
        foreach (var (type, _) in ClinicalData.Types.Prepend(("Patient", "")))
        {
            var pages = await client.AllPagesAsync($"{type}?_count=50");
            var ids = pages.SelectMany(p => p.Resources).Select(r => (string)r["id"]!).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal((await AliceSees(type)).Order(), ids.Order());
        }
    }

    [Fact]
    public async Task A_client_bound_to_a_group_sees_only_its_members_observations_with_the_allowed_codes()
    {
        var token = fixture.Issuer.Issue(fixture.Gateway.BaseUrl, new Dictionary<string, object>
        {
            ["scope"] = $"system/Observation.rs?code={ClinicalData.Loinc}|{ClinicalData.HeartRate}", ["client_id"] = GatewayFixture.GroupApp,
        });
        using var client = fixture.Gateway.Client(token);
        var pages = await client.AllPagesAsync("Observation?_count=50");
        var resources = pages.SelectMany(p => p.Resources).ToList();
        var expected = ClinicalData.All()
            .Where(r => (string)r["resourceType"]! == "Observation" && GatewayFixture.GroupMembers.Contains(FhirCalls.PatientOf(r)))
            .Where(r => (string)r["code"]!["coding"]![0]!["code"]! == ClinicalData.HeartRate && r["performer"] is null)
            .Select(r => (string)r["id"]!).Order();
        Assert.Equal(expected, resources.Select(r => (string)r["id"]!).Order());
        // Outside the group's members and codes: refused outright.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetFhirAsync("Condition?_count=5")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetFhirAsync("Observation/obs-l-p0100")).Status);
    }

    [Fact]
    public async Task An_include_of_another_patients_resource_is_filtered()
    {
        using var client = Alice();
        const string query = "Observation?patient=Patient/p0001,Patient/p0029&code=http://loinc.org|8867-4&_include=Observation:has-member";
        // Upstream, the include brings p0030's Observation (not on the panel) along.
        var direct = await fixture.Upstream.Http.GetFhirAsync(query);
        Assert.Contains(direct.Resources, r => (string)r["id"]! == "obs-v-p0030");
        var answer = await client.GetFhirAsync(query);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var included = (answer.Body!["entry"] as JsonArray)!.OfType<JsonObject>()
            .Where(e => (string?)e["search"]?["mode"] == "include").Select(e => (string)e["resource"]!["id"]!).ToList();
        Assert.Contains("obs-v-p0002", included);
        Assert.DoesNotContain("obs-v-p0030", included);
        Assert.DoesNotContain(answer.Resources, r => FhirCalls.PatientOf(r) == "p0030");
        Assert.Null(answer.Body["total"]);
    }

    [Fact]
    public async Task Labelled_data_is_left_out_of_searches()
    {
        using var client = Alice();
        var pages = await client.AllPagesAsync("Observation?patient=Patient/p0003,Patient/p0004&_count=50");
        var ids = pages.SelectMany(p => p.Resources).Select(r => (string)r["id"]!).ToList();
        Assert.DoesNotContain("obs-l-p0003", ids);
        Assert.Contains("obs-l-p0004", ids);
        Assert.Contains("obs-v-p0003", ids);
    }

    [Fact]
    public async Task A_search_naming_a_patient_who_opted_out_is_refused_and_population_searches_leave_them_out()
    {
        using var client = Alice();
        var named = await client.GetFhirAsync($"Condition?patient=Patient/{GatewayFixture.OptedOut}");
        Assert.Equal(HttpStatusCode.Forbidden, named.Status);
        var all = await client.AllPagesAsync("Condition?_count=50");
        Assert.DoesNotContain(all.SelectMany(p => p.Resources), r => FhirCalls.PatientOf(r) == GatewayFixture.OptedOut);
    }

    [Fact]
    public async Task Paging_across_filtered_pages_refills_each_page_and_links_back_to_the_gateway()
    {
        using var client = Alice();
        // Observations by subject include obs-perf-* (a foreign performer), which only the check of each result drops.
        var pages = await client.AllPagesAsync("Observation?code=http://loinc.org|8867-4&_count=7");
        Assert.True(pages.Count > 2);
        foreach (var page in pages.SkipLast(1))
        {
            Assert.Equal(7, page.Resources.Count);
            Assert.StartsWith(fixture.Gateway.BaseUrl, page.NextLink);
            Assert.Null(page.Body!["total"]);
        }
        var ids = pages.SelectMany(p => p.Resources).Select(r => (string)r["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var expected = (await fixture.Upstream.Http.AllPagesAsync("Observation?code=http://loinc.org|8867-4&_count=1000")).SelectMany(p => p.Resources)
            .Select(r => (string)r["id"]!).Where((await AliceSees("Observation")).Contains);
        Assert.Equal(expected.Order(), ids.Order());
        Assert.All(pages, p => Assert.True(p.DecisionIds.Count >= 2));
    }

    [Fact]
    public async Task A_tampered_or_moved_cursor_is_refused()
    {
        using var client = Alice();
        var first = await client.GetFhirAsync("Observation?_count=3");
        var next = first.NextLink!;
        var tampered = next[..^2] + (next[^1] == 'A' ? "BB" : "AA");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetFhirAsync(tampered)).Status);
        var moved = next.Replace("Observation?", "Observation?code=x&", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetFhirAsync(moved)).Status);
    }

    [Fact]
    public async Task Parameters_that_would_change_a_checked_resource_are_refused()
    {
        using var client = Alice();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetFhirAsync("Observation?_elements=status")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetFhirAsync("Observation?_summary=true")).Status);
    }
}
