using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Groups;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// The grain side of the entitlement walk (<see cref="EntitlementWalk"/>): asks the grains for the
/// facts the walk needs — a set's members among the pending patients (or all of them), a team's
/// subject in force, whether the principal takes part in a team — all of one round at once, and
/// hands them back. The rules are the walk's; here there are only calls.
/// </summary>
internal static class EntitlementFetch
{
    public static Task<WalkResult> WalkAsync(EntitlementSnapshot snapshot, WalkQuestion question, GrainReferences grains) =>
        EntitlementWalk.RunAsync(snapshot, question, (asks, facts) => FetchAsync(snapshot.Principal.ToString(), question.At, asks, facts, grains));

    private static async Task<WalkFacts> FetchAsync(string principal, DateTimeOffset at, WalkAsks asks, WalkFacts facts, GrainReferences grains)
    {
        var sets = asks.Sets.Select(a => (Ask: a, Members: Members(a, at, grains))).ToList();
        var teams = asks.TeamSubjects.Select(t => (Team: t, Subject: grains.Get<ICareTeamGrain>(t).SubjectInForce(at))).ToList();
        var participations = asks.Participations.Select(t => (Team: t, Subject: grains.Get<ICareTeamGrain>(t).SubjectFor(principal, at))).ToList();
        await Task.WhenAll([.. sets.Select(s => s.Members), .. teams.Select(t => t.Subject), .. participations.Select(p => p.Subject)]);
        foreach (var (ask, members) in sets)
        {
            facts = facts.WithSet(ask.Set, ask.Among, members.Result);
        }
        foreach (var (team, subject) in teams)
        {
            facts = facts.WithTeamSubject(team, subject.Result);
        }
        foreach (var (team, subject) in participations)
        {
            facts = facts.WithParticipation(team, subject.Result);
        }
        return facts;
    }

    private static Task<IReadOnlyList<string>> Members(SetAsk ask, DateTimeOffset at, GrainReferences grains)
    {
        var set = grains.Get<IGroupGrain>(PatientSets.KeyOf(ask.Set));
        return ask.Among is null ? set.Members(at) : set.MembersAmong(ask.Among, at);
    }
}
