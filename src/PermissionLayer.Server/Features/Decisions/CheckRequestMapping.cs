using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Entitlements;
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
    /// <summary>The core request; what each interaction must carry is then enforced by <see cref="RequestContract"/>.</summary>
    public static DecisionRequest ToDecisionRequest(CheckRequest request, PatientReferenceResolver patients) =>
        new()
        {
            Token = ToTokenContext(request.Token),
            Interaction = ToInteraction(request.Interaction),
            Conditional = request.Conditional,
            ResourceType = ResourceType(request.ResourceType),
            ResourceId = NullIfEmpty(request.ResourceId),
            Stored = ToFacts(request.Stored, "stored", request, patients),
            StoredAbsent = request.Stored?.SourceCase == ResourceState.SourceOneofCase.Absent && request.Stored.Absent,
            Proposed = ToFacts(request.Proposed, "proposed", request, patients),
            Query = NullIfEmpty(request.Query),
            MinRevision = request.MinRevision,
            Operation = NullIfEmpty(request.Operation),
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
            FhirUser = FhirUser(token.FhirUser),
            Scope = token.Scope,
            LaunchPatient = token.LaunchPatient.Length == 0 ? null : PatientId(token.LaunchPatient, "token.launch_patient"),
            FhirContext = [.. token.FhirContext],
            UserAffiliations = Affiliations(token.UserAffiliations),
            PurposeOfUse = PurposeOfUse.Normalize(token.PurposeOfUse, "token.purpose_of_use"),
            BreakGlassReason = NullIfEmpty(token.BreakGlassReason),
            Jti = NullIfEmpty(token.Jti),
        };
    }

    /// <summary>A user, never a client app: <c>Client/x</c> would let a token borrow another client's entitlements as its user's.</summary>
    private static string? FhirUser(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }
        return PrincipalRef.ValidateUser(value) is { } error ? throw new RequestValidationException("token.fhir_user", error) : value;
    }

    /// <summary>
    /// A patient id as FHIR spells ids, without <c>Patient/</c>: any other spelling (a prefix, a space, a
    /// version) would name no patient whose consent is on record, and so skip it.
    /// </summary>
    private static string PatientId(string value, string field) =>
        FhirReference.IsId(value) ? value : throw new RequestValidationException(field, $"'{Quote.Short(value)}' is not a patient id (FHIR id, without \"Patient/\")");

    private static List<string> Affiliations(IEnumerable<string> values) =>
        values.Select(v => FhirReference.TryParse(v, out var r) && r.Value.Type is "Organization" or "Group"
            ? v
            : throw new RequestValidationException("token.user_affiliations", $"'{v}' is not an Organization/id or Group/id reference")).ToList();

    private static CoreFacts? ToFacts(ResourceState? state, string field, CheckRequest request, PatientReferenceResolver patients)
    {
        switch (state?.SourceCase)
        {
            case null or ResourceState.SourceOneofCase.None:
                return null;
            case ResourceState.SourceOneofCase.Absent:
                return state.Absent ? null : throw new RequestValidationException($"{field}.absent", "must be true when set");
            case ResourceState.SourceOneofCase.Facts:
                return FromFacts(state.Facts, field);
            default:
                return FromFhirJson(state.FhirJson, $"{field}.fhir_json", request.ResourceType, patients);
        }
    }

    /// <summary>A FHIR R4 resource type, spelt exactly; empty or <c>*</c>: any type.</summary>
    public static string ResourceType(string type) =>
        type is "" or "*" ? "*"
        : R4ResourceTypes.Instance.IsKnown(type) ? type
        : throw new RequestValidationException("resource_type", $"'{type}' is not a FHIR R4 resource type");

    private static string CarriedType(string type, string field) =>
        R4ResourceTypes.Instance.IsKnown(type) ? type
        : throw new RequestValidationException(field, $"'{Quote.Short(type)}' is not a FHIR R4 resource type");

    private static CoreFacts FromFhirJson(string json, string field, string resourceType, PatientReferenceResolver patients)
    {
        try
        {
            var (type, facts) = ResourceFactsExtractor.Extract(json, patients);
            return type == resourceType
                ? facts
                : throw new RequestValidationException(field, $"is a {type}, but resource_type is {(resourceType == "*" ? "not given" : resourceType)}");
        }
        catch (FhirInputException e)
        {
            throw new RequestValidationException(field, e.Message);
        }
    }

    private static CoreFacts FromFacts(Contracts.V1.ResourceFacts facts, string field) => new()
    {
        Patients = [.. facts.Patients.Select(p => PatientId(p, $"{field}.facts.patients"))],
        Category = Tokens(facts.Category, $"{field}.facts.category"),
        Code = Tokens(facts.Code, $"{field}.facts.code"),
        Tag = Tokens(facts.Tag, $"{field}.facts.tag"),
        Security = Tokens(facts.Security, $"{field}.facts.security"),
        Status = NullIfEmpty(facts.Status),
        RecordedAt = facts.RecordedAt?.ToDateTimeOffset(),
        Complete = facts.Complete,
        AllVersions = facts.AllVersions,
        CarriedTypes = [.. facts.CarriedTypes.Select((t, i) => CarriedType(t, $"{field}.facts.carried_types[{i}]"))],
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
