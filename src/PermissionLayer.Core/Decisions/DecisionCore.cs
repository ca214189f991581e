using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The decision's terms (DESIGN.md §1), as pure stages: which
/// entitlement terms apply, each term's reason from its walk, the consent actors and question, and the
/// consent and label terms with break-the-glass. <see cref="DecisionComposition"/> runs these stages
/// in order, asking the facts in between, for the server and for a <see cref="DecisionSnapshot"/> alike.
/// </summary>
public static class DecisionCore
{
    /// <summary>
    /// The client term always applies. The user term applies when a patient/ or user/ scope
    /// permitted; a token without a fhirUser then gets a deny reason added to <paramref name="reasons"/>.
    /// system/ scopes have no user term.
    /// </summary>
    public static IReadOnlyList<(DecisionTerm Term, PrincipalRef Principal)> Terms(
        TokenContext token, IReadOnlySet<ScopeContext> contexts, List<DecisionReason> reasons)
    {
        var terms = new List<(DecisionTerm, PrincipalRef)> { (DecisionTerm.Client, PrincipalRef.ForClient(token.ClientId)) };
        if (!contexts.Contains(ScopeContext.Patient) && !contexts.Contains(ScopeContext.User))
        {
            return terms;
        }
        if (token.FhirUser is not { } user)
        {
            reasons.Add(DecisionReason.Deny(DecisionTerm.User, "user.missing",
                "a patient/ or user/ scope applies, and the token names no fhirUser whose entitlements could be checked"));
            return terms;
        }
        // A client app is no user: its entitlements must not stand in for a user's.
        if (PrincipalRef.ValidateUser(user) is { } invalid)
        {
            throw new RequestValidationException("token.fhir_user", invalid);
        }
        terms.Add((DecisionTerm.User, PrincipalRef.Parse(user)));
        return terms;
    }

    /// <summary>
    /// Whose grants clear the requester: the user's when the user term applied; otherwise the client's,
    /// even when the token names a fhirUser — a system/ decision never evaluated the user's grants.
    /// </summary>
    public static PrincipalRef HolderOf(IReadOnlyList<(DecisionTerm Term, PrincipalRef Principal)> terms) =>
        terms.Any(t => t.Term == DecisionTerm.User)
            ? terms.First(t => t.Term == DecisionTerm.User).Principal
            : terms.First(t => t.Term == DecisionTerm.Client).Principal;

    /// <summary>An entitlement term's reason: permitted when every touched patient is reached.</summary>
    public static DecisionReason EntitlementReason(DecisionTerm term, PrincipalRef principal, IReadOnlyList<PatientReach> patients)
    {
        var prefix = term == DecisionTerm.Client ? "client" : "user";
        if (patients.Count > 0 && patients.All(p => p.Permitted))
        {
            var grants = string.Join(",", patients.Select(p => p.GrantId).Distinct());
            return DecisionReason.Permit(term, $"{prefix}.grant", string.Join("; ", patients.Select(p => p.Explanation)), grants);
        }
        var missing = patients.FirstOrDefault(p => !p.Permitted)?.Explanation ?? $"{principal} was asked about nothing";
        return DecisionReason.Deny(term, $"{prefix}.no-grant", missing, principal.ToString());
    }

    /// <summary>
    /// The requester as consent actors: for a user, the user, the client app (as <c>Device/&lt;client_id&gt;</c>),
    /// the care teams they take part in and organizations they hold a role at, and the affiliations the
    /// FHIR server sent. A decision without the user term (system/ scopes) is the client's alone.
    /// </summary>
    public static IReadOnlyList<string> ConsentActors(
        TokenContext token, PrincipalRef holder, IReadOnlyList<string> careTeams, IReadOnlyList<string> organizations) =>
        holder.IsUser
            ? [
                .. token.FhirUser is { } user ? [user] : Array.Empty<string>(),
                $"Device/{token.ClientId}",
                .. token.FhirUser is null ? [] : careTeams.Select(t => $"CareTeam/{t}"),
                .. token.FhirUser is null ? [] : organizations,
                .. token.UserAffiliations,
            ]
            : [$"Device/{token.ClientId}"];

    /// <summary>The consent question about the request's data (its states' codes, labels, date and identity).</summary>
    public static ConsentRequest ConsentQuestion(
        DecisionRequest request, bool search, IReadOnlyList<string> actors, string purpose, DateTimeOffset at)
    {
        var facts = States(request);
        var reference = facts.Select(f => f.Reference).FirstOrDefault(r => r is not null)
            ?? (request.ResourceId is { } id && request.ResourceType != ResourceScope.AnyType ? $"{request.ResourceType}/{id}" : null);
        return new ConsentRequest
        {
            Actors = actors.ToHashSet(StringComparer.Ordinal),
            Actions = ConsentActions.Of(request.Interaction),
            Purpose = purpose,
            ResourceType = request.ResourceType,
            CarriedTypes = [.. facts.SelectMany(f => f.CarriedTypes).Distinct(StringComparer.Ordinal)],
            Codes = [.. facts.SelectMany(f => f.Code.Concat(f.Category))],
            Labels = [.. facts.SelectMany(f => f.Security).Distinct()],
            RecordedAt = RecordedAt(facts),
            Reference = reference,
            At = at,
            DataUnknown = search,
            // Codes and labels are the union of every state's: complete only when each state is.
            FactsComplete = facts.Count > 0 && facts.All(f => f.Complete && !f.CodeUnknown),
        };
    }

    /// <summary>
    /// When the data was recorded, if one instant says it for every state: an update's stored and new
    /// states may lie in different data periods, a state may not say, and a history's facts stand for
    /// every version. Otherwise unknown, so a dataPeriod deny may apply (and counts).
    /// </summary>
    private static DateTimeOffset? RecordedAt(IReadOnlyList<ResourceFacts> states) =>
        states.Count > 0 && states.All(s => s.RecordedAt is not null && !s.AllVersions) && states.Select(s => s.RecordedAt).Distinct().Count() == 1
            ? states[0].RecordedAt
            : null;

    /// <summary>The states the request carries (stored, then proposed).</summary>
    public static IReadOnlyList<ResourceFacts> States(DecisionRequest request) =>
        [.. new[] { request.Stored, request.Proposed }.OfType<ResourceFacts>()];

    /// <summary>
    /// The consent reasons from each touched patient's verdict, in order: the first patient whose consent
    /// denies decides; data in no patient's compartment has no consent to ask.
    /// </summary>
    public static IReadOnlyList<DecisionReason> ConsentReasons(IReadOnlyList<DecisionReason> perPatient, bool anyPatient)
    {
        if (!anyPatient)
        {
            return [DecisionReason.Permit(DecisionTerm.Consent, "consent.not-patient-data",
                "the data is in no patient's compartment, so no consent applies")];
        }
        var deny = perPatient.FirstOrDefault(r => r.Outcome == Outcome.Deny);
        return deny is null ? perPatient : [deny];
    }

    /// <summary>
    /// The consent reasons (already asked) and the label term, then break-the-glass: it lifts exactly
    /// those two terms' denies, for a user whose grants that reach the patients allow it, on a request
    /// that names its patients (<paramref name="population"/> false).
    /// </summary>
    public static PrivacyStage Privacy(
        IReadOnlyList<DecisionReason> consent, IReadOnlyList<string> consentExcluded, IReadOnlyList<ResourceFacts> states,
        Clearance clearance, bool search, bool population, TokenContext token, PrincipalRef holder, bool mayBreakGlass, string purpose)
    {
        var reasons = new List<DecisionReason>(consent);
        var excluded = new List<string>(consentExcluded);
        if (search)
        {
            excluded.AddRange(LabelPolicy.Excluded(clearance));
            reasons.Add(DecisionReason.Permit(DecisionTerm.Labels, "labels.search-excluded",
                $"results are limited to labels within the user's {clearance.Describe()}; the obligation lists the labels to exclude"));
        }
        else
        {
            reasons.Add(LabelTerm.Evaluate(states, clearance));
        }
        var asked = BreakGlass.Asked(token);
        // Break-the-glass is emergency access to a patient the request names; a search that names none
        // (or the accessible-patients stream) stays screened, so one emergency cannot open a population.
        if (!(asked && holder.IsUser && mayBreakGlass) || population)
        {
            var refused = !asked ? reasons
                : !population ? Noted(reasons, r => r.Outcome == Outcome.Deny, $"break-the-glass was asked for, but no grant of {holder} allows it")
                : Noted(reasons, r => r.Term == DecisionTerm.Consent, "break-the-glass was asked for: it lifts consent only for a request that names its patient");
            return new PrivacyStage(refused, [.. excluded.Distinct(StringComparer.Ordinal)], null);
        }
        // The obligation reaches the user: what was lifted, in words that disclose nothing it protects.
        var lifted = reasons.Where(r => r.Outcome == Outcome.Deny).Select(r => $"{r.Code}: {UserSafeMessage.Of(r)}").ToList();
        var glass = new BreakGlass(token.BreakGlassReason!, purpose, lifted);
        return new PrivacyStage([.. reasons.Select(r => Lift(r, glass))], [], glass);
    }

    /// <summary>
    /// The patients the entitlement terms must reach: those the resource states are in; for a search,
    /// those the query targets, and the launch patient when only patient/ scopes permitted it.
    /// </summary>
    public static IReadOnlyList<string> PatientsToCheck(DecisionRequest request, ScopeDecision scope)
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

    /// <summary>The reasons, with a note (why break-the-glass did not apply) added to those it concerns.</summary>
    private static IReadOnlyList<DecisionReason> Noted(IReadOnlyList<DecisionReason> reasons, Func<DecisionReason, bool> concerned, string note) =>
        [.. reasons.Select(r => concerned(r) ? r with { Message = $"{r.Message} ({note})", Note = note } : r)];

    private static DecisionReason Lift(DecisionReason reason, BreakGlass glass) =>
        reason.Outcome == Outcome.Permit
            ? reason
            : DecisionReason.Permit(reason.Term, $"{reason.Code}.break-glass",
                $"lifted by break-the-glass ({glass.Purpose}: \"{glass.Reason}\"): {reason.Message}", reason.Source);
}
