using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Decisions;

/// <summary>A <see cref="DecisionSnapshot"/>'s answers to the composition, each already at hand.</summary>
internal sealed class SnapshotFacts(DecisionSnapshot snapshot) : IDecisionFacts
{
    public Task<ClientStanding?> ClientAsync(string clientId) => Task.FromResult(snapshot.Registration);

    public Task<EntitlementAnswer> WalkAsync(PrincipalRef principal, WalkQuestion question)
    {
        var entitlements = principal == snapshot.Client.Principal ? snapshot.Client
            : snapshot.User is { } user && principal == user.Principal ? user
            : throw new InvalidOperationException($"the snapshot holds no entitlements of {principal}");
        var walk = EntitlementWalk.Run(entitlements, question, (asks, facts) => snapshot.Facts(principal, asks, facts));
        // Organizations are the user's roles; a client holds none.
        var organizations = entitlements == snapshot.User ? snapshot.UserOrganizations : [];
        var privacy = question.Profile ? new RequesterPrivacy(walk.Privacy, walk.CareTeamsInForce, organizations) : null;
        return Task.FromResult(new EntitlementAnswer(walk.Patients, walk.Reach, privacy));
    }

    public Task<IReadOnlyList<string>> MembersAmongAsync(string group, IReadOnlyList<string> patients, DateTimeOffset at)
    {
        var members = snapshot.GroupMembers(group, at).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<string>>([.. patients.Where(members.Contains).Distinct(StringComparer.Ordinal)]);
    }

    public Task<IReadOnlyList<string>> MembersAsync(string group, DateTimeOffset at) => Task.FromResult(snapshot.GroupMembers(group, at));

    public Task<ConsentVerdict> ConsentAsync(string patient, ConsentRequest question) =>
        Task.FromResult(ConsentEvaluator.Evaluate(patient, snapshot.Consents(patient), question, snapshot.DefaultRule));

    public Task<PopulationScreen> ScreenAsync(ConsentRequest question, IReadOnlyList<string>? candidates) =>
        Task.FromResult(PopulationScreen.Of(candidates, snapshot.PatientsWithConsents, snapshot.Consents, question, snapshot.DefaultRule));
}
