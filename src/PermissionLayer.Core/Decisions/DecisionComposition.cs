using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// Decides one request by intersecting the terms (DESIGN.md §1): scope ∩ client ∩ user (∩ the
/// token's fhirContext groups, ∩ a Group-level export's group) ∩ consent ∩ labels, and answers the
/// accessible-patients question from the same stages. The client's registration comes first (a
/// suspended client is denied, scopes beyond its ceiling are ignored). Every term must permit; any term
/// may deny. A scope deny ends the evaluation (no fact is asked); the consent and label terms are asked
/// only once the others permit (break-the-glass may lift those two, never the others); a fact that
/// cannot be read throws and the caller fails closed. The server and <see cref="DecisionSnapshot"/>
/// run this same composition; they differ only in where the <see cref="IDecisionFacts"/> come from.
/// </summary>
public static class DecisionComposition
{
    /// <summary>The decision about a request's meaning (<see cref="RequestMeaning.Of"/>).</summary>
    public static async Task<DecisionResult> DecideAsync(RequestMeaning meaning, DecisionContext context, IDecisionFacts facts)
    {
        if (meaning.Undecidable is { } undecidable)
        {
            return new DecisionResult(Decision.Of([undecidable]));
        }
        var request = meaning.Request;
        DecisionResult? criteria = null;
        if (request.IsConditionalWrite)
        {
            criteria = await CriteriaAsync(request, context, facts);
            if (criteria.Decision.Outcome != Outcome.Permit)
            {
                return criteria;
            }
        }
        var token = request.Token;
        var client = await ClientAsync(token, context, facts);
        if (client.Reason is { Outcome: Outcome.Deny } suspended)
        {
            return new DecisionResult(Decision.Of([suspended]));
        }
        var scope = ScopeEvaluator.Evaluate(client.Scopes, ScopeRequest.From(request));
        var reasons = new List<DecisionReason> { scope.Reason };
        if (client.Reason is { } ceiling)
        {
            reasons.Add(ceiling);
        }
        if (!scope.Permitted)
        {
            return new DecisionResult(Decision.Of(reasons));
        }
        var at = context.At;
        var terms = DecisionCore.Terms(token, scope.PermittingContexts, reasons);
        var holder = DecisionCore.HolderOf(terms);
        var required = ActionLetters.Required(request.Interaction, request.Conditional);
        var patients = DecisionCore.PatientsToCheck(request, scope);
        // A request without a purpose is read as the deployment default, for grants and consents alike.
        var purpose = token.PurposeOfUse ?? context.Defaults.PurposeOfUse;
        var groups = ContextGroups.Of(token);
        var search = scope.Filter is not null;
        AccessiblePatients? population = null;
        RequesterPrivacy? requester = null;
        if (search && patients.Count == 0)
        {
            // An untargeted search: every term's reach becomes the patient restriction.
            population = await ReachAsync(facts, terms, groups, request.WithinGroup, required, request.ResourceType, purpose, at, context.Revision);
            reasons.AddRange(SearchReach.Reasons(population));
        }
        else
        {
            foreach (var (term, principal) in terms)
            {
                // The holder's walk brings back its privacy in the same call.
                var answer = await facts.WalkAsync(principal,
                    new WalkQuestion(required, request.ResourceType, purpose, at, patients, Access: true, Profile: principal == holder));
                reasons.Add(DecisionCore.EntitlementReason(term, principal, answer.Patients));
                requester ??= answer.Privacy;
            }
            if (await GroupReasonAsync(facts, groups, patients, at) is { } narrowing)
            {
                reasons.Add(narrowing);
            }
            if (request.WithinGroup is { } group && await GroupReasonAsync(facts, [group], patients, at) is { } within)
            {
                reasons.Add(within);
            }
        }
        PrivacyOutcome? privacy = null;
        if (Decision.Of(reasons).Outcome == Outcome.Permit)
        {
            privacy = await PrivacyTerms.EvaluateAsync(facts, request, holder, search, patients, population, required, purpose, context, requester);
            reasons.AddRange(privacy.Reasons);
        }
        var decision = Decision.Of(reasons);
        if (decision.Outcome == Outcome.Permit && search)
        {
            // A search that names its patients was checked for exactly those (entitlements and consent):
            // its results, _include'd ones too, are confined to them, not to everyone the terms reach.
            return new DecisionResult(decision, scope.Filter, privacy?.Population ?? AccessiblePatients.Named(patients, context.Revision), privacy);
        }
        if (decision.Outcome == Outcome.Permit && criteria is not null)
        {
            return MatchObligation(decision, criteria, privacy);
        }
        return new DecisionResult(decision, Privacy: privacy);
    }

    /// <summary>
    /// A permitted conditional write with its criteria's search obligation: the resource the criteria
    /// match (the one the FHIR server would return to a create, or change, or delete) concerns the
    /// patients the criteria name and may concern others (a performer, a focus), which no decision made
    /// before the match is known can have checked. So the match is held to the rule of a search result
    /// (<see cref="Obligations.ObligationAdmission"/>) before the write is applied or its answer returned.
    /// The write's own privacy outcome (break-the-glass) stays; the match's clearance and carried-data
    /// checks are the criteria search's.
    /// </summary>
    private static DecisionResult MatchObligation(Decision decision, DecisionResult criteria, PrivacyOutcome? privacy)
    {
        var search = criteria.Privacy;
        var matchPrivacy = (privacy ?? new PrivacyOutcome([], [], null)) with
        {
            SearchClearance = search is null ? Clearance.Default : search.SearchClearance,
            CarriedCheckPatients = search?.CarriedCheckPatients ?? [],
        };
        return new DecisionResult(decision, criteria.Filter, criteria.Patients, matchPrivacy);
    }

    /// <summary>
    /// A conditional write's criteria are a search the FHIR server runs over all its data, and its
    /// answer tells what matched (201 or 200 with the match's Location; which resource was changed or
    /// deleted). So the criteria, decided as a search by the same token, must be permitted with no
    /// confinement beyond the patients they name: the permitted search (whose obligation the match is
    /// then held to), or a DENY (the search's own reasons, or <c>conditional.confined</c>).
    /// </summary>
    private static async Task<DecisionResult> CriteriaAsync(DecisionRequest request, DecisionContext context, IDecisionFacts facts)
    {
        var criteria = new DecisionRequest
        {
            Token = request.Token, Interaction = Interaction.SearchType, ResourceType = request.ResourceType,
            Query = request.Query, MinRevision = request.MinRevision,
        };
        var search = await DecideAsync(RequestMeaning.Of(criteria), context, facts);
        if (search.Decision.Outcome != Outcome.Permit)
        {
            return new DecisionResult(search.Decision);
        }
        var named = SearchQuery.Parse(request.Query).SurelyTargetedPatients(request.ResourceType).ToHashSet(StringComparer.Ordinal);
        var patients = search.Patients;
        var confined = search.Filter?.ConfinesBeyond(named) == true
            || search.Privacy?.ExcludedLabels.Count > 0
            || patients is { Withheld.Count: > 0 }
            || patients is { AllPatients: false } && !patients.Patients.ToHashSet(StringComparer.Ordinal).SetEquals(named);
        return !confined ? search : new DecisionResult(Decision.Of([DecisionReason.Deny(DecisionTerm.Request, "conditional.confined",
            $"the criteria of a conditional {request.Interaction.ToName()} are a search the FHIR server runs over all its data, while this " +
            "token's search would be confined (to the patients it reaches, by its scopes' constraints or by consent): " +
            "name the patients in the criteria (patient=x, or subject=Patient/x: a bare subject id may be a Group or Device)")]));
    }

    /// <summary>
    /// The patients the token may reach for the interaction on the type: scope ∩ client ∩ user ∩
    /// fhirContext groups, less those whose consent withholds the data (a search that names no patient:
    /// break-the-glass does not lift it).
    /// </summary>
    public static async Task<AccessiblePatients> AccessibleAsync(
        TokenContext token, Interaction interaction, string resourceType, DecisionContext context, IDecisionFacts facts)
    {
        var client = await ClientAsync(token, context, facts);
        if (client.Reason is { Outcome: Outcome.Deny })
        {
            return AccessiblePatients.Nobody(DecisionTerm.Client, context.Revision); // a suspended client reaches nobody
        }
        // The scope term first: scopes that grant nothing for this interaction and type reach nobody,
        // and patient/-only scopes reach the launch patient alone.
        var scope = ScopeReach.Of(client.Scopes, interaction, resourceType, token.LaunchPatient);
        if (!scope.ReachesAnyone)
        {
            return AccessiblePatients.Nobody(DecisionTerm.Scope, context.Revision);
        }
        // Which terms apply depends on the contexts the token's scopes are in (system/ has no user).
        var reasons = new List<DecisionReason>();
        var terms = DecisionCore.Terms(token, scope.Contexts, reasons);
        if (reasons.Count > 0)
        {
            throw new RequestValidationException("token.fhir_user", reasons[0].Message);
        }
        var required = ActionLetters.Required(interaction);
        var purpose = token.PurposeOfUse ?? context.Defaults.PurposeOfUse;
        var accessible = await ReachAsync(facts, terms, ContextGroups.Of(token), null, required, resourceType, purpose, context.At, context.Revision);
        if (scope.OnlyPatient is { } launch)
        {
            accessible = accessible.And(DecisionTerm.Scope, new ReachablePatients(false, [launch], [$"Patient/{launch}"]));
        }
        return await PrivacyTerms.ScreenAsync(facts, token, DecisionCore.HolderOf(terms), accessible, interaction, resourceType, required, purpose, context.At);
    }

    private static async Task<ClientRegistrationTerm.Applied> ClientAsync(TokenContext token, DecisionContext context, IDecisionFacts facts)
    {
        ScopeSet scopes;
        try
        {
            scopes = context.Scopes.Parse(token.Scope);
        }
        catch (ScopeFormatException e)
        {
            throw new RequestValidationException("token.scope", e.Message);
        }
        return ClientRegistrationTerm.Apply(token.ClientId, await facts.ClientAsync(token.ClientId), context.Scopes, scopes);
    }

    /// <summary>Each entitlement term's reach and the narrowing groups' members, intersected.</summary>
    private static async Task<AccessiblePatients> ReachAsync(
        IDecisionFacts facts, IReadOnlyList<(DecisionTerm Term, PrincipalRef Principal)> terms, IReadOnlyList<string> contextGroups,
        string? withinGroup, DataActions required, string resourceType, string purpose, DateTimeOffset at, long revision)
    {
        var reaches = new List<(DecisionTerm, ReachablePatients)>();
        foreach (var (term, principal) in terms)
        {
            var answer = await facts.WalkAsync(principal, new WalkQuestion(required, resourceType, purpose, at, null));
            reaches.Add((term, answer.Reach ?? throw new InvalidOperationException($"the walk of {principal} answered no reach")));
        }
        foreach (var groups in new[] { contextGroups, withinGroup is null ? [] : [withinGroup] })
        {
            var members = new List<string>();
            foreach (var group in groups)
            {
                members.AddRange(await facts.MembersAsync(group, at));
            }
            if (ContextGroups.Reach(groups, members) is { } reach)
            {
                reaches.Add((DecisionTerm.Request, reach));
            }
        }
        return AccessiblePatients.Intersect(reaches, revision);
    }

    private static async Task<DecisionReason?> GroupReasonAsync(IDecisionFacts facts, IReadOnlyList<string> groups, IReadOnlyList<string> patients, DateTimeOffset at)
    {
        var inside = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            inside.UnionWith(await facts.MembersAmongAsync(group, patients, at));
        }
        return ContextGroups.Reason(groups, patients, inside);
    }
}
