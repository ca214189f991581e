using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>Builders for consent tests: fixtures, PutConsent, and an Observation read with its facts.</summary>
internal static class ConsentRequests
{
    public const string Psy = "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY";

    public static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Consents", "Fixtures", name + ".json"));

    /// <summary>A fixture re-aimed at another patient and id, so tests in one database do not share consents.</summary>
    public static string Fixture(string name, string patient, string id) =>
        Fixture(name).Replace("\"Patient/f00", $"\"Patient/{patient}-").Replace($"\"id\": \"{name}\"", $"\"id\": \"{id}\"");

    /// <summary>
    /// The deny reason of a decision as the audit keeps it for privacy officers (consent and label
    /// reasons reach the requester without their provision and detail).
    /// </summary>
    public static async Task<Reason> AuditedDeny(ServerHost host, CheckResponse response, string patient)
    {
        Assert.Equal("", response.Reasons.Single(r => r.Outcome == Outcome.Deny).Source);
        using var call = new AuditService.AuditServiceClient(host.Channel).QueryDecisions(new DecisionQuery { Patient = patient, Outcome = Outcome.Deny });
        await foreach (var row in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            if (row.DecisionId == response.DecisionId)
            {
                return row.Reasons.Single(r => r.Outcome == Outcome.Deny);
            }
        }
        throw new InvalidOperationException($"decision {response.DecisionId} is not in the audit");
    }

    public static PutConsentRequest Put(string id, string json) => new() { ConsentId = id, ConsentJson = json, Reason = "signed at admission" };

    public static CheckRequest ReadObservation(
        string user, string patient, string? purpose = null, string[]? affiliations = null, string[]? labels = null,
        string scope = "user/Observation.rs", string? breakGlassReason = null)
    {
        var facts = new ResourceFacts { Complete = true };
        facts.Patients.Add(patient);
        facts.Security.AddRange(labels ?? []);
        return new CheckRequest
        {
            Token = Token(user, purpose, affiliations, scope, breakGlassReason),
            Interaction = Interaction.Read,
            ResourceType = "Observation",
            ResourceId = $"obs-{patient}",
            Stored = new ResourceState { Facts = facts },
        };
    }

    public static CheckRequest SearchObservations(string user, string patient) => new()
    {
        Token = new TokenContext { ClientId = Slice.Requests.TrustedClient, FhirUser = user, Scope = "user/Observation.rs" },
        Interaction = Interaction.SearchType,
        ResourceType = "Observation",
        Query = $"patient={patient}",
    };

    /// <summary>An Observation search that names no patient (a population search).</summary>
    public static CheckRequest SearchAllObservations(
        string? user, string? purpose = null, string[]? affiliations = null, string scope = "user/Observation.rs", string? breakGlassReason = null) => new()
    {
        Token = Token(user, purpose, affiliations, scope, breakGlassReason),
        Interaction = Interaction.SearchType,
        ResourceType = "Observation",
        Query = "code=http://loinc.org|8867-4",
    };

    public static TokenContext Token(
        string? user, string? purpose = null, string[]? affiliations = null, string scope = "user/Observation.rs", string? breakGlassReason = null)
    {
        var token = new TokenContext
        {
            ClientId = Slice.Requests.TrustedClient,
            FhirUser = user ?? "",
            Scope = scope,
            PurposeOfUse = purpose ?? "",
            BreakGlassReason = breakGlassReason ?? "",
        };
        token.UserAffiliations.AddRange(affiliations ?? []);
        return token;
    }
}
