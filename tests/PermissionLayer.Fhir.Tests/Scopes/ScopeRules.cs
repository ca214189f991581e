using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Fhir.Tests.Scopes;

/// <summary>Small builders so each rule test reads as the rule.</summary>
internal static class ScopeRules
{
    public static readonly ScopeParser Parser = new(R4ResourceTypes.Instance);

    public static ResourceFacts Facts(string patient, params string[] categories) =>
        new() { Patients = [patient], Category = [.. categories.Select(Token.Parse)] };

    public static ScopeDecision Decide(string scopes, Interaction interaction, string type = "Observation", string? launch = "123",
        ResourceFacts? stored = null, ResourceFacts? proposed = null, string query = "", bool conditional = false) =>
        ScopeEvaluator.Evaluate(Parser.Parse(scopes), new ScopeRequest
        {
            Interaction = interaction,
            ResourceType = type,
            LaunchPatient = launch,
            Stored = stored,
            Proposed = proposed,
            Query = SearchQuery.Parse(query),
            Conditional = conditional,
        });

    public static bool Permits(string scopes, Interaction interaction, string type = "Observation", string? launch = "123",
        ResourceFacts? stored = null, ResourceFacts? proposed = null, string query = "", bool conditional = false) =>
        Decide(scopes, interaction, type, launch, stored, proposed, query, conditional).Outcome == Outcome.Permit;
}
