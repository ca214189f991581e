using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// The consent and label terms (DESIGN.md §1), asked after the scope and entitlement terms permitted.
/// One call to the requester's grain (clearance, break-glass, care teams) and one per patient touched
/// to the patient's consent grain, which answers from memory; a search that names no patient screens
/// its whole population in the consent registry instead.
/// </summary>
/// <param name="reads">The grains' answers.</param>
/// <param name="holder">Whose grants clear the requester: see <see cref="HolderOf"/>.</param>
internal sealed class PrivacyTerms(EntitlementReads reads, PrincipalRef holder)
{
    /// <summary>
    /// The two terms for one request. <paramref name="population"/> is given for a search that names no
    /// patient (the patients the other terms reach); it is screened against their consents.
    /// <paramref name="known"/> is the holder's profile when an entitlement term already brought it back.
    /// </summary>
    public async Task<PrivacyOutcome> EvaluateAsync(
        DecisionRequest request, bool search, IReadOnlyList<string> patients, AccessiblePatients? population,
        DataActions required, string purpose, DateTimeOffset at, RequesterProfile? known = null)
    {
        var token = request.Token;
        // Privacy attributes count only from grants that reach the patients concerned: those the request
        // names, or, for a population, those left after the consent screen (asked again below).
        var profile = known ?? await ProfileAsync(token, required, request.ResourceType, purpose, at, population is null ? patients : null);
        var facts = new[] { request.Stored, request.Proposed }.OfType<ResourceFacts>().ToList();
        var labels = facts.SelectMany(f => f.Security).Distinct().ToList();

        var excluded = new List<string>();
        var question = Question(request, search, facts, labels, Actors(token, profile), purpose, at);
        // Consent first, then labels: the order of the terms in DESIGN.md §1.
        var reasons = new List<DecisionReason>();
        if (population is not null)
        {
            var (reason, screened) = await PopulationConsent.ScreenAsync(reads.Grains, population, question);
            reasons.Add(reason);
            population = screened;
        }
        else
        {
            reasons.AddRange(await ConsentReasonsAsync(patients, question, excluded));
        }
        if (population is not null)
        {
            profile = await ProfileAsync(token, required, request.ResourceType, purpose, at, population.AllPatients ? null : population.Patients);
        }
        var clearance = new Clearance(profile.Clearance, profile.SensitivityCategories.ToHashSet(StringComparer.Ordinal));
        if (search)
        {
            excluded.AddRange(LabelPolicy.Excluded(clearance));
            reasons.Add(DecisionReason.Permit(DecisionTerm.Labels, "labels.search-excluded",
                $"results are limited to labels within the user's {clearance.Describe()}; the obligation lists the labels to exclude"));
        }
        else
        {
            reasons.Add(LabelTerm.Evaluate(facts, clearance));
        }

        // Break-the-glass is emergency access to a patient the request names; a search that names none
        // (or the accessible-patients stream) stays screened, so one emergency cannot open a population.
        if (!(BreakGlassAsked(token) && HolderIsUser && profile.MayBreakGlass) || population is not null)
        {
            var refused = !BreakGlassAsked(token) ? reasons
                : population is null ? Noted(reasons, r => r.Outcome == Outcome.Deny, $"break-the-glass was asked for, but no grant of {holder} allows it")
                : Noted(reasons, r => r.Term == DecisionTerm.Consent, "break-the-glass was asked for: it lifts consent only for a request that names its patient");
            return new PrivacyOutcome(refused, [.. excluded.Distinct(StringComparer.Ordinal)], null)
            {
                Population = population,
                UserOrganizations = UserOrganizations(token, profile),
            };
        }
        // Break-the-glass lifts exactly these two terms: their denies become permits that say so.
        // The obligation reaches the user: what was lifted, in words that disclose nothing it protects.
        var lifted = reasons.Where(r => r.Outcome == Outcome.Deny).Select(r => $"{r.Code}: {UserSafeMessage.Of(r)}").ToList();
        var glass = new BreakGlass(token.BreakGlassReason!, purpose, lifted);
        return new PrivacyOutcome([.. reasons.Select(r => Lift(r, glass))], [], glass)
        {
            Population = population,
            UserOrganizations = UserOrganizations(token, profile),
        };
    }

    /// <summary>
    /// The accessible patients less those whose consent withholds the data from the requester (for
    /// StreamAccessiblePatients, which is a search that names no patient: break-the-glass does not lift it).
    /// </summary>
    public async Task<AccessiblePatients> ScreenAsync(
        TokenContext token, AccessiblePatients accessible, Interaction interaction, string resourceType,
        DataActions required, string purpose, DateTimeOffset at)
    {
        var profile = await ProfileAsync(token, required, resourceType, purpose, at, accessible.AllPatients ? null : accessible.Patients);
        var question = new ConsentQuestion(
            Actors(token, profile), [.. ConsentActions.Of(interaction)], purpose, resourceType, [], [], null, null, at, DataUnknown: true);
        return (await PopulationConsent.ScreenAsync(reads.Grains, accessible, question)).Screened;
    }

    /// <summary>
    /// Whose profile the terms use: the user's when the user term applied (a patient/ or user/ scope
    /// permitted); otherwise the client's, even when the token names a fhirUser — a system/ decision
    /// never evaluated the user's grants, so their clearance and break-the-glass cannot count.
    /// </summary>
    public static PrincipalRef HolderOf(IReadOnlyList<EntitlementTerm> terms) =>
        (terms.FirstOrDefault(t => t.Term == DecisionTerm.User) ?? terms.First(t => t.Term == DecisionTerm.Client)).Principal;

    private bool HolderIsUser => holder.IsUser;

    private Task<RequesterProfile> ProfileAsync(
        TokenContext token, DataActions required, string resourceType, string purpose, DateTimeOffset at, IReadOnlyList<string>? patients) =>
        reads.ProfileAsync(holder.ToString(), required, resourceType == "*" ? null : resourceType, purpose, at, patients);

    private async Task<IReadOnlyList<DecisionReason>> ConsentReasonsAsync(
        IReadOnlyList<string> patients, ConsentQuestion question, List<string> excluded)
    {
        if (patients.Count == 0)
        {
            return [DecisionReason.Permit(DecisionTerm.Consent, "consent.not-patient-data",
                "the data is in no patient's compartment, so no consent applies")];
        }
        var reasons = new List<DecisionReason>();
        foreach (var patient in patients)
        {
            var answer = await reads.ConsentAsync(patient, question);
            excluded.AddRange(answer.ExcludedLabels);
            var reason = answer.Permitted
                ? DecisionReason.Permit(DecisionTerm.Consent, answer.Code, answer.Message, answer.Source)
                : DecisionReason.Deny(DecisionTerm.Consent, answer.Code, answer.Message, answer.Source);
            if (!answer.Permitted)
            {
                return [reason]; // the first patient whose consent denies decides
            }
            reasons.Add(reason);
        }
        return reasons;
    }

    private static ConsentQuestion Question(
        DecisionRequest request, bool search, IReadOnlyList<ResourceFacts> facts, IReadOnlyList<Token> labels,
        IReadOnlyList<string> actors, string purpose, DateTimeOffset at)
    {
        var reference = facts.Select(f => f.Reference).FirstOrDefault(r => r is not null)
            ?? (request.ResourceId is { } id && request.ResourceType != "*" ? $"{request.ResourceType}/{id}" : null);
        return new ConsentQuestion(
            actors, [.. ConsentActions.Of(request.Interaction)], purpose, request.ResourceType,
            [.. facts.SelectMany(f => f.Code.Concat(f.Category)).Select(t => t.ToString())],
            [.. labels.Select(t => t.ToString())],
            facts.Select(f => f.RecordedAt).FirstOrDefault(r => r is not null),
            reference, at, search,
            // Codes and labels are the union of every state's: complete only when each state is.
            FactsComplete: facts.Count > 0 && facts.All(f => f.Complete && !f.CodeUnknown));
    }

    /// <summary>
    /// The requester as consent actors: the user, the client app (as <c>Device/&lt;client_id&gt;</c>), the
    /// care teams the user is on and organizations they hold a role at (both known here), and the
    /// organizations and groups the FHIR server sent.
    /// </summary>
    private IReadOnlyList<string> Actors(TokenContext token, RequesterProfile profile) =>
        HolderIsUser ? UserActors(token, profile) : [$"Device/{token.ClientId}"];

    /// <summary>
    /// A decision without the user term (system/ scopes) is the client's alone: the user a token names
    /// and the affiliations a FHIR server sends were never checked, so they are not consent actors.
    /// </summary>
    private static IReadOnlyList<string> UserActors(TokenContext token, RequesterProfile profile) =>
        [
            .. token.FhirUser is { } user ? [user] : Array.Empty<string>(),
            $"Device/{token.ClientId}",
            .. token.FhirUser is null ? [] : profile.CareTeams.Select(t => $"CareTeam/{t}"),
            .. token.FhirUser is null ? [] : profile.Organizations ?? [],
            .. token.UserAffiliations,
        ];

    private static IReadOnlyList<string> UserOrganizations(TokenContext token, RequesterProfile profile) =>
        token.FhirUser is null ? [] : profile.Organizations ?? [];

    private static bool BreakGlassAsked(TokenContext token) =>
        token.PurposeOfUse is { } purpose && BreakGlass.Purposes.Contains(purpose) && !string.IsNullOrWhiteSpace(token.BreakGlassReason);

    /// <summary>The reasons, with a note (why break-the-glass did not apply) added to those it concerns.</summary>
    private static IReadOnlyList<DecisionReason> Noted(IReadOnlyList<DecisionReason> reasons, Func<DecisionReason, bool> concerned, string note) =>
        [.. reasons.Select(r => concerned(r) ? r with { Message = $"{r.Message} ({note})", Note = note } : r)];

    private static DecisionReason Lift(DecisionReason reason, BreakGlass glass) =>
        reason.Outcome == Outcome.Permit
            ? reason
            : DecisionReason.Permit(reason.Term, $"{reason.Code}.break-glass",
                $"lifted by break-the-glass ({glass.Purpose}: \"{glass.Reason}\"): {reason.Message}", reason.Source);
}
