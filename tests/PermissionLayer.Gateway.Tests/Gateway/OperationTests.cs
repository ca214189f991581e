using System.Net;
using System.Text;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>Operations checked as what they do; POST _search checked like GET.</summary>
[Collection(GatewayCollection.Name)]
public sealed class OperationTests(GatewayFixture fixture)
{
    private HttpClient Alice() => fixture.Gateway.Client(fixture.Token("user/*.rs"));

    [Fact]
    public async Task Patient_everything_is_decided_as_an_operation_and_each_returned_resource_checked()
    {
        using var client = Alice();
        // p0004 has an Observation performed by another patient: upstream returns it, the gateway does not.
        var direct = await fixture.Upstream.Http.GetFhirAsync("Patient/p0004/$everything");
        Assert.Contains(direct.Resources, r => (string)r["id"]! == "obs-perf-p0004");
        var answer = await client.GetFhirAsync("Patient/p0004/$everything");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var ids = answer.Resources.Select(r => (string)r["id"]!).ToList();
        Assert.Contains("p0004", ids);
        Assert.Contains("cond-p0004", ids);
        Assert.DoesNotContain("obs-perf-p0004", ids);
        Assert.Equal(direct.Resources.Count - 1, ids.Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetFhirAsync("Patient/p0204/$everything")).Status);
    }

    [Fact]
    public async Task Export_is_decided_and_not_proxied_unchecked()
    {
        using var client = Alice();
        var answer = await client.GetFhirAsync("Patient/$export");
        Assert.True(answer.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotImplemented, answer.Status.ToString());
        Assert.NotEmpty(answer.DecisionIds);
    }

    [Fact]
    public async Task A_POST_search_is_decided_like_a_GET()
    {
        using var client = Alice();
        var form = new StringContent("patient=Patient/p0001,Patient/p0201&_count=50", Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await client.PostAsync("Condition/_search", form);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var allowed = await client.PostAsync("Condition/_search", new StringContent("patient=Patient/p0001", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("cond-p0001", await allowed.Content.ReadAsStringAsync());
    }
}
