using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace PermissionLayer.Gateway.Tests.Support;

/// <summary>One FHIR call's answer: status, JSON body, and the headers the tests look at.</summary>
public sealed record FhirAnswer(HttpStatusCode Status, JsonObject? Body, HttpResponseMessage Message)
{
    public IReadOnlyList<string> DecisionIds =>
        Message.Headers.TryGetValues("X-Decision-Id", out var values)
            ? [.. values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))]
            : [];

    /// <summary>The Bundle's entries' resources (matches and includes).</summary>
    public IReadOnlyList<JsonObject> Resources =>
        [.. (Body?["entry"] as JsonArray ?? []).OfType<JsonObject>().Select(e => e["resource"]).OfType<JsonObject>()];

    public string? NextLink =>
        (Body?["link"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(l => (string?)l["relation"] == "next")?["url"]?.GetValue<string>();

    public string IssueText => Body?["issue"]?[0]?["diagnostics"]?.GetValue<string>() ?? "";
}

public static class FhirCalls
{
    public static async Task<FhirAnswer> SendAsync(this HttpClient client, HttpMethod method, string url, JsonNode? body = null, string contentType = "application/fhir+json", IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, contentType);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonObject? json = null;
        if (text.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(text) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }
        return new FhirAnswer(response.StatusCode, json, response);
    }

    public static Task<FhirAnswer> GetFhirAsync(this HttpClient client, string url) => client.SendAsync(HttpMethod.Get, url);

    /// <summary>Every page of a search, following the gateway's next links; the resources of each page.</summary>
    public static async Task<List<FhirAnswer>> AllPagesAsync(this HttpClient client, string url, int maxPages = 100)
    {
        var pages = new List<FhirAnswer>();
        for (string? next = url; next is not null && pages.Count < maxPages;)
        {
            var page = await client.GetFhirAsync(next);
            Assert.True(page.Status == HttpStatusCode.OK, $"{next}: {page.Status} {page.IssueText}");
            pages.Add(page);
            next = page.NextLink;
        }
        return pages;
    }

    /// <summary>The patient a resource of the test data belongs to.</summary>
    public static string PatientOf(JsonObject resource)
    {
        if ((string?)resource["resourceType"] == "Patient")
        {
            return (string)resource["id"]!;
        }
        var reference = (string?)(resource["subject"] ?? resource["patient"])?["reference"] ?? throw new InvalidOperationException("no patient");
        return reference["Patient/".Length..];
    }
}
