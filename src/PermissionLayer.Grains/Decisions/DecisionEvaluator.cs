using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Revisions;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// Decides one request by intersecting the terms (DESIGN.md §1). Every term must permit; any term
/// may deny; a term that cannot be evaluated throws, and the caller fails closed.
/// </summary>
public sealed class DecisionEvaluator(IGrainFactory grains, TimeProvider time, RevisionClock revisions, RevisionSync sync)
{
    public async Task<DecisionOutcome> DecideAsync(DecisionRequest request, CancellationToken cancellationToken = default)
    {
        if (request.MinRevision > 0 && !await sync.EnsureAtLeastAsync(request.MinRevision, cancellationToken))
        {
            throw new RequestValidationException("min_revision",
                $"revision {request.MinRevision} has not been committed (latest is {revisions.Current})");
        }
        var revision = revisions.Current;
        var at = time.GetUtcNow();
        var required = ActionLetters.Required(request.Interaction, request.Conditional);
        var patients = request.TouchedPatients;
        var purpose = request.Token.PurposeOfUse;

        var reasons = new List<DecisionReason>();
        foreach (var term in EntitlementTerms(request.Token))
        {
            reasons.Add(await term.EvaluateAsync(grains, patients, required, request.ResourceType, purpose, at));
        }
        if (await ContextGroups.EvaluateAsync(grains, ContextGroups.Of(request.Token), patients, at) is { } narrowing)
        {
            reasons.Add(narrowing);
        }
        return new DecisionOutcome(Decision.Of(reasons), revision);
    }

    /// <summary>
    /// The patients the token may reach for the interaction: client ∩ user ∩ fhirContext groups.
    /// </summary>
    public async Task<AccessiblePatients> AccessiblePatientsAsync(TokenContext token, Interaction interaction, string resourceType, CancellationToken cancellationToken = default)
    {
        var revision = revisions.Current;
        var at = time.GetUtcNow();
        var required = ActionLetters.Required(interaction).ToLetters();
        var terms = new List<(DecisionTerm, Abstractions.Principals.ReachableSet)>();
        foreach (var term in EntitlementTerms(token))
        {
            var reach = await grains.GetGrain<Abstractions.Principals.IPrincipalGrain>(term.Principal)
                .Reach(required, resourceType == "*" ? null : resourceType, token.PurposeOfUse, at);
            terms.Add((term.Term, reach));
        }
        if (await ContextGroups.ReachAsync(grains, ContextGroups.Of(token), at) is { } context)
        {
            terms.Add((DecisionTerm.Request, context));
        }
        return AccessiblePatients.Intersect(terms, revision);
    }

    /// <summary>The client term always applies; the user term whenever the token names a user.</summary>
    private static IEnumerable<EntitlementTerm> EntitlementTerms(TokenContext token)
    {
        yield return new EntitlementTerm(DecisionTerm.Client, Principal.ForClient(token.ClientId));
        // Until system/ scopes are evaluated, every token must name its user: fail closed.
        var user = token.FhirUser ?? throw new RequestValidationException("token.fhir_user", "is required");
        if (Principal.Validate(user) is { } error)
        {
            throw new RequestValidationException("token.fhir_user", error);
        }
        yield return new EntitlementTerm(DecisionTerm.User, user);
    }
}
