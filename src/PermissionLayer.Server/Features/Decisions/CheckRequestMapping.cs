using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Resources;
using CoreToken = PermissionLayer.Core.Requests.TokenContext;
using CoreFacts = PermissionLayer.Core.Requests.ResourceFacts;
using CoreInteraction = PermissionLayer.Core.Requests.Interaction;
using WireInteraction = PermissionLayer.Contracts.V1.Interaction;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>Maps the wire request to the core's, rejecting missing or malformed fields by name.</summary>
internal static class CheckRequestMapping
{
    public static DecisionRequest ToDecisionRequest(CheckRequest request) =>
        new()
        {
            Token = ToTokenContext(request.Token),
            Interaction = ToInteraction(request.Interaction),
            Conditional = request.Conditional,
            ResourceType = ResourceType(request.ResourceType),
            ResourceId = NullIfEmpty(request.ResourceId),
            Stored = ToFacts(request.Stored, "stored", request),
            Proposed = ToFacts(request.Proposed, "proposed", request),
            Query = NullIfEmpty(request.Query),
            MinRevision = request.MinRevision,
        };

    public static CoreToken ToTokenContext(Contracts.V1.TokenContext? token)
    {
        if (token is null)
        {
            throw new RequestValidationException("token", "is required");
        }
        if (string.IsNullOrWhiteSpace(token.ClientId))
        {
            throw new RequestValidationException("token.client_id", "is required");
        }
        return new CoreToken
        {
            ClientId = token.ClientId,
            FhirUser = NullIfEmpty(token.FhirUser),
            Scope = token.Scope,
            LaunchPatient = NullIfEmpty(token.LaunchPatient),
            FhirContext = [.. token.FhirContext],
            UserAffiliations = Affiliations(token.UserAffiliations),
            PurposeOfUse = NullIfEmpty(token.PurposeOfUse),
            BreakGlassReason = NullIfEmpty(token.BreakGlassReason),
            Jti = NullIfEmpty(token.Jti),
        };
    }

    private static List<string> Affiliations(IEnumerable<string> values) =>
        values.Select(v => FhirReference.TryParse(v, out var r) && r.Value.Type is "Organization" or "Group"
            ? v
            : throw new RequestValidationException("token.user_affiliations", $"'{v}' is not an Organization/id or Group/id reference")).ToList();

    private static CoreFacts? ToFacts(ResourceState? state, string field, CheckRequest request)
    {
        switch (state?.SourceCase)
        {
            case null or ResourceState.SourceOneofCase.None:
                // A Patient's own compartment is the patient: an id is enough to name it.
                return field == "stored" && request.ResourceType == "Patient" && request.ResourceId.Length > 0
                    ? new CoreFacts { Patients = [request.ResourceId] }
                    : null;
            case ResourceState.SourceOneofCase.Facts:
                return FromFacts(state.Facts, field);
            default:
                return FromFhirJson(state.FhirJson, $"{field}.fhir_json", request.ResourceType);
        }
    }

    private static string ResourceType(string type) =>
        type is "" or "*" ? "*"
        : R4ResourceTypes.Instance.IsKnown(type) ? type
        : throw new RequestValidationException("resource_type", $"'{type}' is not a FHIR R4 resource type");

    private static CoreFacts FromFhirJson(string json, string field, string resourceType)
    {
        try
        {
            var (type, facts) = ResourceFactsExtractor.Extract(json);
            return type == resourceType || resourceType is "" or "*"
                ? facts
                : throw new RequestValidationException(field, $"is a {type}, but resource_type is {resourceType}");
        }
        catch (FhirInputException e)
        {
            throw new RequestValidationException(field, e.Message);
        }
    }

    private static CoreFacts FromFacts(Contracts.V1.ResourceFacts facts, string field) => new()
    {
        Patients = [.. facts.Patients],
        Category = Tokens(facts.Category, $"{field}.facts.category"),
        Code = Tokens(facts.Code, $"{field}.facts.code"),
        Tag = Tokens(facts.Tag, $"{field}.facts.tag"),
        Security = Tokens(facts.Security, $"{field}.facts.security"),
        Status = NullIfEmpty(facts.Status),
        RecordedAt = facts.RecordedAt?.ToDateTimeOffset(),
        Reference = facts.Reference.Length == 0 ? null
            : FhirReference.TryParse(facts.Reference, out _) ? facts.Reference
            : throw new RequestValidationException($"{field}.facts.reference", $"'{facts.Reference}' is not a relative reference Type/id"),
    };

    private static List<Token> Tokens(IEnumerable<string> values, string field) =>
        values.Select(v => string.IsNullOrWhiteSpace(v)
            ? throw new RequestValidationException(field, "contains an empty token")
            : Token.Parse(v)).ToList();

    public static CoreInteraction ToInteraction(WireInteraction interaction) => interaction switch
    {
        WireInteraction.Read => CoreInteraction.Read,
        WireInteraction.Vread => CoreInteraction.VRead,
        WireInteraction.HistoryInstance => CoreInteraction.HistoryInstance,
        WireInteraction.HistoryType => CoreInteraction.HistoryType,
        WireInteraction.HistorySystem => CoreInteraction.HistorySystem,
        WireInteraction.SearchType => CoreInteraction.SearchType,
        WireInteraction.SearchSystem => CoreInteraction.SearchSystem,
        WireInteraction.Create => CoreInteraction.Create,
        WireInteraction.Update => CoreInteraction.Update,
        WireInteraction.Patch => CoreInteraction.Patch,
        WireInteraction.Delete => CoreInteraction.Delete,
        WireInteraction.Operation => CoreInteraction.Operation,
        _ => throw new RequestValidationException("interaction", $"'{interaction}' is not a supported interaction"),
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
