using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Consents;
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
        var excluded = new List<string>();
        var question = DecisionCore.ConsentQuestion(request, search, Actors(token, profile), purpose, at).ToQuestion();
        // Consent first, then labels: the order of the terms in DESIGN.md §1.
        IReadOnlyList<DecisionReason> consent;
        if (population is not null)
        {
            var (reason, screened) = await PopulationConsent.ScreenAsync(reads.Grains, population, question);
            consent = [reason];
            population = screened;
            profile = await ProfileAsync(token, required, request.ResourceType, purpose, at, population.AllPatients ? null : population.Patients);
        }
        else
        {
            consent = await ConsentReasonsAsync(patients, question, excluded);
        }
        var clearance = new Clearance(profile.Clearance, profile.SensitivityCategories.ToHashSet(StringComparer.Ordinal));
        var privacy = DecisionCore.Privacy(
            consent, excluded, DecisionCore.States(request), clearance, search, population is not null, token, holder, profile.MayBreakGlass, purpose);
        return new PrivacyOutcome(privacy.Reasons, privacy.ExcludedLabels, privacy.BreakGlass)
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
    public static PrincipalRef HolderOf(IReadOnlyList<EntitlementTerm> terms) => DecisionCore.HolderOf([.. terms.Select(t => (t.Term, t.Principal))]);

    private Task<RequesterProfile> ProfileAsync(
        TokenContext token, DataActions required, string resourceType, string purpose, DateTimeOffset at, IReadOnlyList<string>? patients) =>
        reads.ProfileAsync(holder.ToString(), required, resourceType == "*" ? null : resourceType, purpose, at, patients);

    private async Task<IReadOnlyList<DecisionReason>> ConsentReasonsAsync(
        IReadOnlyList<string> patients, ConsentQuestion question, List<string> excluded)
    {
        var reasons = new List<DecisionReason>();
        foreach (var patient in patients)
        {
            var answer = await reads.ConsentAsync(patient, question);
            excluded.AddRange(answer.ExcludedLabels);
            reasons.Add(answer.Permitted
                ? DecisionReason.Permit(DecisionTerm.Consent, answer.Code, answer.Message, answer.Source)
                : DecisionReason.Deny(DecisionTerm.Consent, answer.Code, answer.Message, answer.Source));
            if (!answer.Permitted)
            {
                break; // the first patient whose consent denies decides: the others need not be asked
            }
        }
        return DecisionCore.ConsentReasons(reasons, patients.Count > 0);
    }

    /// <summary>The requester as consent actors (<see cref="DecisionCore.ConsentActors"/>).</summary>
    private IReadOnlyList<string> Actors(TokenContext token, RequesterProfile profile) =>
        DecisionCore.ConsentActors(token, holder, profile.CareTeams, profile.Organizations ?? []);

    private static IReadOnlyList<string> UserOrganizations(TokenContext token, RequesterProfile profile) =>
        token.FhirUser is null ? [] : profile.Organizations ?? [];
}
