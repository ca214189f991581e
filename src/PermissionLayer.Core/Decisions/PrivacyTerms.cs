using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The consent and label terms (DESIGN.md §1), asked after the scope and entitlement terms permitted:
/// the holder's privacy (clearance, break-the-glass, care teams, organizations) and each touched
/// patient's consent verdict; a search that names no patient screens its whole population instead.
/// </summary>
public static class PrivacyTerms
{
    /// <summary>
    /// The two terms for one request. <paramref name="population"/> is given for a search that names no
    /// patient (the patients the other terms reach); it is screened against their consents.
    /// <paramref name="known"/> is the holder's privacy when an entitlement term already brought it back.
    /// </summary>
    public static async Task<PrivacyOutcome> EvaluateAsync(
        IDecisionFacts facts, DecisionRequest request, PrincipalRef holder, bool search, IReadOnlyList<string> patients,
        AccessiblePatients? population, DataActions required, string purpose, DecisionContext context, RequesterPrivacy? known)
    {
        var token = request.Token;
        var at = context.At;
        // Privacy attributes count only from grants that reach the patients concerned: those the request
        // names, or, for a population, those left after the consent screen (asked again below).
        var requester = known ?? await RequesterAsync(facts, holder, required, request.ResourceType, purpose, at, population is null ? patients : null);
        var excluded = new List<string>();
        var question = DecisionCore.ConsentQuestion(request, search, Actors(token, holder, requester), purpose, at);
        // Consent first, then labels: the order of the terms in DESIGN.md §1.
        IReadOnlyList<DecisionReason> consent;
        IReadOnlyList<string> carried = [];
        if (population is not null)
        {
            var screen = await facts.ScreenAsync(question, population.AllPatients ? null : population.Patients);
            var screened = population.Screened(screen);
            consent = [PopulationConsent.Reason(population, screened, screen)];
            population = screened;
            carried = screen.CarriedWithheld;
            requester = await RequesterAsync(facts, holder, required, request.ResourceType, purpose, at, population.AllPatients ? null : population.Patients);
        }
        else
        {
            consent = await ConsentReasonsAsync(facts, patients, question, excluded);
            if (search && consent.All(r => r.Outcome == Outcome.Permit))
            {
                carried = await CarriedWithheldAsync(facts, patients, question, excluded);
            }
        }
        var privacy = DecisionCore.Privacy(consent, excluded, DecisionCore.States(request), requester.Profile.Clearance,
            search, population is not null, token, holder, requester.Profile.MayBreakGlass, purpose);
        var lifted = privacy.BreakGlass is not null;
        return new PrivacyOutcome(privacy.Reasons, privacy.ExcludedLabels, privacy.BreakGlass)
        {
            Population = population,
            UserOrganizations = token.FhirUser is null ? [] : requester.Organizations,
            // Break-the-glass lifted the consent and label terms, for carried resources too.
            SearchClearance = search && !lifted ? privacy.Clearance : null,
            CarriedCheckPatients = search && !lifted ? carried : [],
        };
    }

    /// <summary>
    /// The named patients whose consent, asked as if the data could be of any type (the most a class
    /// can match), withholds it or more labels: a search is decided for the type it searches, so what
    /// its results carry inside them (a contained Condition) is left to a check of those results.
    /// </summary>
    private static async Task<IReadOnlyList<string>> CarriedWithheldAsync(
        IDecisionFacts facts, IReadOnlyList<string> patients, ConsentRequest question, IReadOnlyList<string> excluded)
    {
        if (question.ResourceType == "*")
        {
            return []; // asked for every type already
        }
        var anyType = question with { ResourceType = "*", CarriedTypes = [] };
        var withheld = new List<string>();
        foreach (var patient in patients)
        {
            var verdict = await facts.ConsentAsync(patient, anyType);
            if (!verdict.Permitted || verdict.ExcludedLabels.Except(excluded, StringComparer.Ordinal).Any())
            {
                withheld.Add(patient);
            }
        }
        return withheld;
    }

    /// <summary>
    /// The accessible patients less those whose consent withholds the data from the requester (for
    /// the accessible-patients stream, which is a search that names no patient: break-the-glass does not lift it).
    /// </summary>
    public static async Task<AccessiblePatients> ScreenAsync(
        IDecisionFacts facts, TokenContext token, PrincipalRef holder, AccessiblePatients accessible, Interaction interaction, string resourceType,
        DataActions required, string purpose, DateTimeOffset at)
    {
        var requester = await RequesterAsync(facts, holder, required, resourceType, purpose, at, accessible.AllPatients ? null : accessible.Patients);
        var question = new ConsentRequest
        {
            Actors = Actors(token, holder, requester).ToHashSet(StringComparer.Ordinal),
            Actions = ConsentActions.Of(interaction),
            Purpose = purpose,
            ResourceType = resourceType,
            At = at,
            DataUnknown = true,
        };
        return accessible.Screened(await facts.ScreenAsync(question, accessible.AllPatients ? null : accessible.Patients));
    }

    /// <summary>The holder's privacy from the grants that reach <paramref name="patients"/> (null: every patient).</summary>
    private static async Task<RequesterPrivacy> RequesterAsync(
        IDecisionFacts facts, PrincipalRef holder, DataActions required, string resourceType, string purpose, DateTimeOffset at, IReadOnlyList<string>? patients) =>
        (await facts.WalkAsync(holder, new WalkQuestion(required, resourceType, purpose, at, patients, Access: false, Profile: true))).Privacy
        ?? throw new InvalidOperationException($"the walk of {holder} answered no profile");

    private static async Task<IReadOnlyList<DecisionReason>> ConsentReasonsAsync(
        IDecisionFacts facts, IReadOnlyList<string> patients, ConsentRequest question, List<string> excluded)
    {
        var reasons = new List<DecisionReason>();
        foreach (var patient in patients)
        {
            var verdict = await facts.ConsentAsync(patient, question);
            excluded.AddRange(verdict.ExcludedLabels);
            reasons.Add(verdict.Reason);
            if (!verdict.Permitted)
            {
                break; // the first patient whose consent denies decides: the others need not be asked
            }
        }
        return DecisionCore.ConsentReasons(reasons, patients.Count > 0);
    }

    private static IReadOnlyList<string> Actors(TokenContext token, PrincipalRef holder, RequesterPrivacy requester) =>
        DecisionCore.ConsentActors(token, holder, requester.CareTeams, requester.Organizations);
}
