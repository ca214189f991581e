using System.Net;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>
/// Review 16: ResultShaping lets <c>_summary</c> through only as <c>_summary=false</c>, but it reads that value with <c>QueryParameters.Value(name)</c> — the
/// FIRST occurrence — once for every occurrence. A repeated parameter is forwarded whole:
/// <c>_summary=false&amp;_summary=true</c> passes, and HAPI takes the set of all values (summary mode
/// TRUE wins over FALSE), so resources come back stripped of their non-summary elements and the check
/// reads the stripped copy (a server that takes the last value applies <c>text</c> or <c>true</c> alone).
/// (<c>_format</c> has the same flaw, but a search drops it and a non-JSON <c>$everything</c> answer fails
/// to parse: refused either way.) The test upstream ignores <c>_summary</c>, so the fail-closed answer
/// (refused, 400) is asserted.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ReviewHoleTests16(GatewayFixture fixture)
{
    private HttpClient Alice() => fixture.Gateway.Client(fixture.Token("user/*.rs"));

    [Theory]
    [InlineData("Observation?_summary=false&_summary=true")]
    [InlineData("Observation?_summary=false&_summary=text")]
    [InlineData("Observation?patient=Patient/p0001&_summary=false&_summary=true")]
    public async Task A_repeated_shaping_parameter_is_judged_by_every_value(string query)
    {
        using var client = Alice();
        Assert.Equal(HttpStatusCode.OK, (await client.GetFhirAsync("Observation?_summary=false")).Status);
        var answer = await client.GetFhirAsync(query);
        Assert.True(answer.Status == HttpStatusCode.BadRequest,
            $"{query}: {answer.Status}, forwarded to the FHIR server, which may apply the later value and strip what the check reads");
    }

    [Theory]
    [InlineData("Patient/p0004/$everything?_summary=false&_summary=true")]
    [InlineData("Patient/p0004/$everything?_summary=false&_summary=text")]
    public async Task Everything_judges_every_value_of_a_repeated_shaping_parameter(string path)
    {
        using var client = Alice();
        Assert.Equal(HttpStatusCode.OK, (await client.GetFhirAsync("Patient/p0004/$everything")).Status);
        var answer = await client.GetFhirAsync(path);
        Assert.True(answer.Status == HttpStatusCode.BadRequest,
            $"{path}: {answer.Status}, its query forwarded whole to the FHIR server");
    }
}
