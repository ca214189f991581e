using PermissionLayer.Contracts.V1;
using PermissionLayer.LoadGenerator.Cerbos;

namespace PermissionLayer.LoadGenerator.Peers;

/// <summary>
/// Before any timing: every case asked once of our server and of each peer, and the answers compared,
/// so a peer is timed only on a policy that really decides as ours does (it must deny what ours
/// denies; a peer that allowed everything, or nothing, would be measuring something else).
/// </summary>
internal static class PeerAgreement
{
    /// <summary>Our server's outcome per case: permit, and the first deny reason's code otherwise.</summary>
    public static async Task<(bool Permit, string Reason)[]> OursAsync(IReadOnlyList<DecisionService.DecisionServiceClient> clients, IReadOnlyList<PeerCase> cases)
    {
        var answers = new (bool, string)[cases.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var answer = await clients[i % clients.Count].CheckAsync(cases[i].Check);
            answers[i] = (answer.Outcome == Outcome.Permit,
                answer.Outcome == Outcome.Permit ? "permit" : answer.Reasons.FirstOrDefault(r => r.Outcome == Outcome.Deny)?.Code ?? answer.Outcome.ToString());
        });
        return answers;
    }

    /// <summary>Compares a target's answers with ours; prints the agreement and any disagreements; true when it is at least <paramref name="required"/>.</summary>
    public static async Task<bool> CompareAsync(PeerTarget target, IReadOnlyList<PeerCase> cases, CheckResourcesRequest[] cerbosRequests,
        (bool Permit, string Reason)[] ours, double required)
    {
        var theirs = new bool[cases.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            theirs[i] = target.Cerbos is { } cerbos
                ? CerbosRequests.Allowed(await cerbos[i % cerbos.Count].CheckResourcesAsync(cerbosRequests[i]))
                : (await target.Decisions[i % target.Decisions.Count].CheckAsync(cases[i].Check)).Outcome == Outcome.Permit;
        });
        var agree = Enumerable.Range(0, cases.Count).Count(i => theirs[i] == ours[i].Permit);
        var bothDeny = Enumerable.Range(0, cases.Count).Where(i => !theirs[i] && !ours[i].Permit).ToList();
        var agreement = (double)agree / Math.Max(1, cases.Count);
        Console.WriteLine($"agreement {target.Label}: {agree} of {cases.Count} cases decided as our server decides ({100 * agreement:F2} %); "
            + $"ours {ours.Count(o => o.Permit)} permit / {ours.Count(o => !o.Permit)} deny, {target.Label} {theirs.Count(t => t)} permit / {theirs.Count(t => !t)} deny");
        Console.WriteLine("    denied by both, by our reason: " + string.Join(", ", bothDeny.GroupBy(i => ours[i].Reason).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        foreach (var i in bothDeny.GroupBy(i => ours[i].Reason).Select(g => g.First()).Take(6))
        {
            Console.WriteLine($"    deny case: mix line {cases[i].Line} ({cases[i].Label}), {cases[i].Practitioner} reads {cases[i].Patient}'s Observation: ours {ours[i].Reason}, {target.Label} denied");
        }
        foreach (var i in Enumerable.Range(0, cases.Count).Where(i => theirs[i] != ours[i].Permit).Take(10))
        {
            Console.WriteLine($"    DISAGREE: mix line {cases[i].Line} ({cases[i].Label}), {cases[i].Practitioner} reads {cases[i].Patient}: ours {ours[i].Reason}, {target.Label} {(theirs[i] ? "allowed" : "denied")}");
        }
        var decides = bothDeny.Count > 0 && theirs.Any(t => t);
        Console.WriteLine($"RESULT {{\"measure\":\"peer-agreement\",\"target\":\"{target.Label}\",\"cases\":{cases.Count},\"agree\":{agree},\"deniedByBoth\":{bothDeny.Count},\"required\":{required}}}");
        return decides && agreement >= required;
    }
}
