using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Clients;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Storage.Consents;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Consents;
using PermissionLayer.Grains.LocalState;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// The decision's facts (<see cref="IDecisionFacts"/>) from the grains: the client-registration,
/// principal and patient-consent grains are answered from the state an activation on this silo
/// published (no grain call), else by the grain itself (on another silo, or activated by this call);
/// both answer with the same code from the same kind of state (see <see cref="ActivationStates{TState}"/>
/// for why the published state is current). Groups and the consent registry are asked by call.
/// Only facts cross here: every rule is in <see cref="DecisionComposition"/>.
/// </summary>
public sealed class EntitlementReads(GrainReferences grains, PublishedStates published, ConsentDefaults defaults) : IDecisionFacts
{
    async Task<ClientStanding?> IDecisionFacts.ClientAsync(string clientId)
    {
        var registration = published.ClientRegistrations.TryGet(clientId, out var state)
            ? state.Registration
            : await grains.Get<IClientRegistrationGrain>(clientId).Get();
        return registration is null ? null : new ClientStanding(registration.IsActive, registration.Status, registration.ScopeCeiling);
    }

    async Task<EntitlementAnswer> IDecisionFacts.WalkAsync(PrincipalRef principal, WalkQuestion question)
    {
        var key = principal.ToString();
        published.Principals.TryGet(key, out var state);
        if (question.Access && question.Patients is { } patients)
        {
            var access = new AccessQuestion(patients, question.Required, question.ResourceType, question.Purpose, question.At, question.Profile);
            var answer = state is not null ? await state.AuthorizeAsync(access, grains) : await grains.Get<IPrincipalGrain>(key).Authorize(access);
            return new EntitlementAnswer(
                [.. answer.Patients.Select(p => new PatientReach(p.Patient, p.GrantId, p.Explanation))], null, answer.Profile is { } p ? Privacy(p) : null);
        }
        if (question.Access)
        {
            var type = question.ConcreteType;
            var reach = state is not null
                ? await state.ReachAsync(question.Required, type, question.Purpose, question.At, grains)
                : await grains.Get<IPrincipalGrain>(key).Reach(question.Required, type, question.Purpose, question.At);
            var reachable = reach.AllPatients ? ReachablePatients.Everyone : new ReachablePatients(false, reach.Patients, reach.GrantingSets);
            return new EntitlementAnswer([], reachable, null);
        }
        var profile = state is not null
            ? await state.ProfileAsync(question.Required, question.ConcreteType, question.Purpose, question.At, question.Patients, grains)
            : await grains.Get<IPrincipalGrain>(key).Profile(question.Required, question.ConcreteType, question.Purpose, question.At, question.Patients);
        return new EntitlementAnswer([], null, Privacy(profile));
    }

    async Task<IReadOnlyList<string>> IDecisionFacts.MembersAmongAsync(string group, IReadOnlyList<string> patients, DateTimeOffset at) =>
        await grains.Get<IGroupGrain>(group).MembersAmong(patients, at);

    async Task<IReadOnlyList<string>> IDecisionFacts.MembersAsync(string group, DateTimeOffset at) =>
        await grains.Get<IGroupGrain>(group).Members(at);

    async Task<ConsentVerdict> IDecisionFacts.ConsentAsync(string patient, ConsentRequest question)
    {
        var asked = question.ToQuestion();
        var answer = published.PatientConsents.TryGet(patient, out var state)
            ? state.Decide(asked, defaults.PolicyRule)
            : await grains.Get<IPatientConsentGrain>(patient).Decide(asked);
        var reason = answer.Permitted
            ? DecisionReason.Permit(DecisionTerm.Consent, answer.Code, answer.Message, answer.Source)
            : DecisionReason.Deny(DecisionTerm.Consent, answer.Code, answer.Message, answer.Source);
        return new ConsentVerdict(reason, answer.ExcludedLabels);
    }

    /// <summary>
    /// Every shard of the consent registry is asked, each about its own candidates (none is skipped, so
    /// the count of patients with consents is the whole registry's), in parallel.
    /// </summary>
    async Task<PopulationScreen> IDecisionFacts.ScreenAsync(ConsentRequest question, IReadOnlyList<string>? candidates)
    {
        var asked = question.ToQuestion();
        var byShard = candidates?.ToLookup(p => ConsentShards.Of(p, ConsentRegistryShards.Count));
        var screens = await Task.WhenAll(Enumerable.Range(0, ConsentRegistryShards.Count).Select(async shard =>
        {
            var screening = new ConsentScreening(asked, byShard is null ? null : [.. byShard[shard]]);
            return (await grains.Factory.GetGrain<IConsentRegistryGrain>(ConsentRegistryShards.Key(shard)).Screen(screening)).ToPopulationScreen();
        }));
        return PopulationScreen.Merge(screens);
    }

    private static RequesterPrivacy Privacy(RequesterProfile profile) => new(
        new PrivacyProfile(new Core.Labels.Clearance(profile.Clearance, profile.SensitivityCategories.ToHashSet(StringComparer.Ordinal)), profile.MayBreakGlass),
        profile.CareTeams, profile.Organizations ?? []);
}
