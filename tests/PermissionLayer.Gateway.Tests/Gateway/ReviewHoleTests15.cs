using System.Net;
using PermissionLayer.Gateway.Tests.Support;

namespace PermissionLayer.Gateway.Tests.Gateway;

/// <summary>
/// Review 15: the gateway checks a returned resource's JSON as it comes back, so any parameter that
/// makes the FHIR server return less of a resource than it stores (its <c>meta.security</c>, its code)
/// turns the check into a check of something else: a V-labelled resource stripped of its labels passes
/// an N clearance. SearchEnforcer refuses such parameters by exact name only (<c>_elements</c>,
/// <c>_summary</c>, …), so their other spellings are forwarded: <c>_fields</c> (Medplum's name for
/// <c>_elements</c>) and <c>_elements:exclude</c> (HAPI's modifier). <c>$everything</c> forwards its
/// whole query, <c>_elements</c> and <c>_summary</c> included (HAPI applies both to any response).
/// The test upstream's in-memory repository ignores all of these, so the tests assert the fail-closed
/// answer (refused, 400) rather than a stripped resource.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ReviewHoleTests15(GatewayFixture fixture)
{
    private HttpClient Alice() => fixture.Gateway.Client(fixture.Token("user/*.rs"));

    [Theory]
    [InlineData("Observation?_fields=status")]
    [InlineData("Observation?_fields=id,subject,code")]
    [InlineData("Observation?_elements:exclude=meta")]
    [InlineData("Observation?patient=Patient/p0001&_elements:exclude=meta.security")]
    public async Task A_search_parameter_that_strips_a_resource_before_its_check_is_refused(string query)
    {
        using var client = Alice();
        var answer = await client.GetFhirAsync(query);
        Assert.True(answer.Status == HttpStatusCode.BadRequest,
            $"{query}: {answer.Status}, forwarded to the FHIR server, which may return resources without the labels the check reads");
    }

    [Theory]
    [InlineData("Patient/p0004/$everything?_elements=id,subject,code")]
    [InlineData("Patient/p0004/$everything?_summary=true")]
    [InlineData("Patient/p0004/$everything?_fields=id,subject")]
    public async Task Everything_refuses_the_parameters_a_search_refuses(string path)
    {
        using var client = Alice();
        // Baseline: the same operation without the parameter is served.
        Assert.Equal(HttpStatusCode.OK, (await client.GetFhirAsync("Patient/p0004/$everything")).Status);
        var answer = await client.GetFhirAsync(path);
        Assert.True(answer.Status == HttpStatusCode.BadRequest,
            $"{path}: {answer.Status}, its query forwarded whole to the FHIR server, which may strip what the check of each returned resource reads");
    }
}
