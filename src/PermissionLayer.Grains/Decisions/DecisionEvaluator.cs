using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Revisions;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// Decides one request by intersecting the terms (DESIGN.md §1): scope ∩ client ∩ user (∩ the
/// token's fhirContext groups) ∩ consent ∩ labels. The client's registration comes first (a
/// suspended client is denied, scopes beyond its ceiling are ignored). Every term must permit; any
/// term may deny. A scope deny ends the evaluation (no grain is asked); the consent and label terms
/// are asked only once the others permit (break-the-glass may lift those two, never the others); a
/// term that cannot be evaluated throws and the caller fails closed.
/// </summary>
public sealed class DecisionEvaluator(
    EntitlementReads reads, ScopeParser scopes, DecisionClock time, RevisionClock revisions, RevisionSync sync, ConsentDefaults defaults)
{
    public async Task<DecisionOutcome> DecideAsync(DecisionRequest request, CancellationToken cancellationToken = default)
    {
        RequestContract.Enforce(request);
        if (request.Interaction == Interaction.Operation)
        {
            // The operation's own parameters first: its meaning (a search) replaces the query.
            if (RequestContract.Undecidable(request) is { } selects)
            {
                return new DecisionOutcome(Decision.Of([selects]), revisions.Current);
            }
            var (meaning, unsupported) = OperationMeaning.Resolve(request);
            if (unsupported is not null)
            {
                return new DecisionOutcome(Decision.Of([unsupported]), revisions.Current);
            }
            request = meaning!;
            RequestContract.Enforce(request);
        }
        if (RequestContract.Undecidable(request) is { } unknown)
        {
            return new DecisionOutcome(Decision.Of([unknown]), revisions.Current);
        }
        if (request.IsConditionalWrite && await ConfinedCriteriaAsync(request, cancellationToken) is { } confined)
        {
            return confined;
        }
        if (request.MinRevision > 0 && !await sync.EnsureAtLeastAsync(request.MinRevision, cancellationToken))
        {
            throw new RequestValidationException("min_revision",
                $"revision {request.MinRevision} has not been committed (latest is {revisions.Current})");
        }
        // Read before any state: everything read after it holds every change up to it on this silo
        // (RevisionClock), and every grain asked on another silo catches up to it before answering.
        var revision = AppliedRevision();
        var client = await ClientRegistrationTerm.ApplyAsync(reads, scopes, request.Token.ClientId, Parse(request.Token.Scope));
        if (client.Reason is { Outcome: Outcome.Deny } suspended)
        {
            return new DecisionOutcome(Decision.Of([suspended]), revision);
        }
        var scope = ScopeEvaluator.Evaluate(client.Scopes, ScopeRequest.From(request));
        var reasons = new List<DecisionReason> { scope.Reason };
        if (client.Reason is { } ceiling)
        {
            reasons.Add(ceiling);
        }
        if (!scope.Permitted)
        {
            return new DecisionOutcome(Decision.Of(reasons), revision);
        }
        var at = time.GetUtcNow();
        var terms = EntitlementTerms.For(request.Token, scope.PermittingContexts, reasons);
        var required = ActionLetters.Required(request.Interaction, request.Conditional);
        var patients = PatientsToCheck(request, scope);
        // A request without a purpose is read as the deployment default, for grants and consents alike.
        var purpose = request.Token.PurposeOfUse ?? defaults.PurposeOfUse;
        var contextGroups = ContextGroups.Of(request.Token);
        AccessiblePatients? accessible = null;
        RequesterProfile? profile = null;
        if (scope.Filter is not null && patients.Count == 0)
        {
            // An untargeted search: every term's reach becomes the patient restriction.
            accessible = await AccessibleAsync(terms, contextGroups, request.WithinGroup, required, request.ResourceType, purpose, at, revision);
            reasons.AddRange(SearchReach.Reasons(accessible));
        }
        else
        {
            var holder = PrivacyTerms.HolderOf(terms);
            foreach (var term in terms)
            {
                var (reason, termProfile) = await term.EvaluateAsync(
                    reads, patients, required, request.ResourceType, purpose, at, withProfile: term.Principal == holder);
                reasons.Add(reason);
                profile ??= termProfile;
            }
            if (await ContextGroups.EvaluateAsync(reads.Grains, contextGroups, patients, at) is { } narrowing)
            {
                reasons.Add(narrowing);
            }
            if (request.WithinGroup is { } group && await ContextGroups.EvaluateAsync(reads.Grains, [group], patients, at) is { } within)
            {
                reasons.Add(within);
            }
        }
        PrivacyOutcome? privacy = null;
        if (Decision.Of(reasons).Outcome == Outcome.Permit)
        {
            privacy = await new PrivacyTerms(reads, PrivacyTerms.HolderOf(terms)).EvaluateAsync(request, scope.Filter is not null, patients, accessible, required, purpose, at, profile);
            reasons.AddRange(privacy.Reasons);
        }
        var decision = Decision.Of(reasons);
        if (decision.Outcome == Outcome.Permit && scope.Filter is not null)
        {
            // A search that names its patients was checked for exactly those (entitlements and consent):
            // its results, _include'd ones too, are confined to them, not to everyone the terms reach.
            accessible = privacy?.Population ?? AccessiblePatients.Named(patients, revision);
            return new DecisionOutcome(decision, revision, scope.Filter, accessible, privacy);
        }
        return new DecisionOutcome(decision, revision, Privacy: privacy);
    }

    /// <summary>
    /// A conditional write's criteria are a search the FHIR server runs over all its data, and its
    /// answer tells what matched (201 or 200 with the match's Location; which resource was changed or
    /// deleted). A write carries no obligation that could confine that search, so the criteria, decided
    /// as a search by the same token, must be permitted with no confinement beyond the patients they
    /// name. A DENY otherwise (the search's own reasons, or <c>conditional.confined</c>); null to go on.
    /// </summary>
    private async Task<DecisionOutcome?> ConfinedCriteriaAsync(DecisionRequest request, CancellationToken cancellationToken)
    {
        var criteria = new DecisionRequest
        {
            Token = request.Token, Interaction = Interaction.SearchType, ResourceType = request.ResourceType,
            Query = request.Query, MinRevision = request.MinRevision,
        };
        var search = await DecideAsync(criteria, cancellationToken);
        if (search.Decision.Outcome != Outcome.Permit)
        {
            return new DecisionOutcome(search.Decision, search.Revision);
        }
        var named = SearchQuery.Parse(request.Query).TargetedPatients(request.ResourceType).ToHashSet(StringComparer.Ordinal);
        var patients = search.Patients;
        var confined = search.Filter?.ConfinesBeyond(named) == true
            || search.Privacy?.ExcludedLabels.Count > 0
            || patients is { Withheld.Count: > 0 }
            || patients is { AllPatients: false } && !patients.Patients.ToHashSet(StringComparer.Ordinal).SetEquals(named);
        return !confined ? null : new DecisionOutcome(Decision.Of([DecisionReason.Deny(DecisionTerm.Request, "conditional.confined",
            $"the criteria of a conditional {request.Interaction.ToName()} are a search the FHIR server runs over all its data, while this " +
            "token's search would be confined (to the patients it reaches, by its scopes' constraints or by consent): " +
            "name the patients in the criteria (patient= or subject=)")]), search.Revision);
    }

    /// <summary>The revision a decision reports, carried to the grains it calls (<see cref="RevisionContext"/>).</summary>
    private long AppliedRevision()
    {
        var revision = revisions.Current;
        if (revision > 0)
        {
            RevisionContext.Require(revision);
        }
        return revision;
    }

    /// <summary>The patients the token may reach for the interaction: client ∩ user ∩ fhirContext groups.</summary>
    public async Task<AccessiblePatients> AccessiblePatientsAsync(
        TokenContext token, Interaction interaction, string resourceType, CancellationToken cancellationToken = default)
    {
        var revision = AppliedRevision();
        var client = await ClientRegistrationTerm.ApplyAsync(reads, scopes, token.ClientId, Parse(token.Scope));
        if (client.Reason is { Outcome: Outcome.Deny })
        {
            // A suspended client reaches nobody: the stream completes empty.
            return AccessiblePatients.Intersect([(DecisionTerm.Client, new ReachableSet(false, [], []))], revision);
        }
        // The scope term first: scopes that grant nothing for this interaction and type reach nobody,
        // and patient/-only scopes reach the launch patient alone.
        var scope = ScopeReach.Of(client.Scopes, interaction, resourceType, token.LaunchPatient);
        if (!scope.ReachesAnyone)
        {
            return AccessiblePatients.Intersect([(DecisionTerm.Scope, new ReachableSet(false, [], []))], revision);
        }
        // Which terms apply depends on the contexts the token's scopes are in (system/ has no user).
        var reasons = new List<DecisionReason>();
        var terms = EntitlementTerms.For(token, scope.Contexts, reasons);
        if (reasons.Count > 0)
        {
            throw new RequestValidationException("token.fhir_user", reasons[0].Message);
        }
        var required = ActionLetters.Required(interaction);
        var purpose = token.PurposeOfUse ?? defaults.PurposeOfUse;
        var at = time.GetUtcNow();
        var accessible = await AccessibleAsync(terms, ContextGroups.Of(token), null, required, resourceType, purpose, at, revision);
        if (scope.OnlyPatient is { } launch)
        {
            accessible = AccessiblePatients.Intersect(
                [.. accessible.Terms, (DecisionTerm.Scope, new ReachableSet(false, [launch], [$"Patient/{launch}"]))], accessible.Revision);
        }
        return await new PrivacyTerms(reads, PrivacyTerms.HolderOf(terms)).ScreenAsync(token, accessible, interaction, resourceType, required, purpose, at);
    }

    private async Task<AccessiblePatients> AccessibleAsync(
        IReadOnlyList<EntitlementTerm> terms, IReadOnlyList<string> contextGroups, string? withinGroup, DataActions required, string resourceType,
        string? purpose, DateTimeOffset at, long revision)
    {
        var reaches = new List<(DecisionTerm, ReachableSet)>();
        foreach (var term in terms)
        {
            var reach = await reads.ReachAsync(term.Principal.ToString(), required, resourceType == ResourceScope.AnyType ? null : resourceType, purpose, at);
            reaches.Add((term.Term, reach));
        }
        if (await ContextGroups.ReachAsync(reads.Grains, contextGroups, at) is { } context)
        {
            reaches.Add((DecisionTerm.Request, context));
        }
        if (withinGroup is not null && await ContextGroups.ReachAsync(reads.Grains, [withinGroup], at) is { } within)
        {
            reaches.Add((DecisionTerm.Request, within));
        }
        return AccessiblePatients.Intersect(reaches, revision);
    }

    /// <summary>
    /// The patients the entitlement terms must reach: those the resource states are in; for a search,
    /// those the query targets, and the launch patient when only patient/ scopes permitted it.
    /// </summary>
    private static IReadOnlyList<string> PatientsToCheck(DecisionRequest request, ScopeDecision scope)
    {
        if (scope.Filter is null)
        {
            return request.TouchedPatients;
        }
        var targeted = ScopeRequest.From(request).Query.TargetedPatients(request.ResourceType).ToList();
        if (scope.PermittingContexts.All(c => c == ScopeContext.Patient) && request.Token.LaunchPatient is { } launch)
        {
            targeted.Add(launch);
        }
        return targeted.Distinct(StringComparer.Ordinal).ToList();
    }

    private ScopeSet Parse(string scopeString)
    {
        try
        {
            return scopes.Parse(scopeString);
        }
        catch (ScopeFormatException e)
        {
            throw new RequestValidationException("token.scope", e.Message);
        }
    }
}
