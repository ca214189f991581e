using PermissionLayer.Contracts.V1;
using PermissionLayer.DataGenerator.Probes;

namespace PermissionLayer.LoadGenerator;

/// <summary>
/// Before a mix is timed: its first lines sent once, and the outcomes counted by label, so a run shows
/// that the mix is what it claims (permits where the facts reach, denies where they do not) and where
/// the denies come from (the first deny reason's code).
/// </summary>
internal static class MixOutcomes
{
    public static async Task ReportAsync(string target, IReadOnlyList<DecisionService.DecisionServiceClient> clients, MixFile mix, int lines)
    {
        var counts = new Dictionary<string, (long Permit, long Deny)>(StringComparer.Ordinal);
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, lines), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var entry = mix.Entries[i];
            var answers = await entry.SendAsync(clients[i % clients.Count]);
            lock (gate)
            {
                foreach (var answer in answers)
                {
                    var (permit, deny) = counts.GetValueOrDefault(entry.Label);
                    counts[entry.Label] = answer.Outcome == Outcome.Permit ? (permit + 1, deny) : (permit, deny + 1);
                    if (answer.Outcome != Outcome.Permit)
                    {
                        var code = answer.Reasons.FirstOrDefault(r => r.Outcome == Outcome.Deny)?.Code ?? "error";
                        reasons[code] = reasons.GetValueOrDefault(code) + 1;
                    }
                }
            }
        });
        var permits = counts.Values.Sum(c => c.Permit);
        var denies = counts.Values.Sum(c => c.Deny);
        Console.WriteLine($"mix {target}: first {lines} lines, {permits + denies} decisions: {permits} permit, {denies} deny ({100.0 * denies / Math.Max(1, permits + denies):F0} %)");
        foreach (var (label, (permit, deny)) in counts.OrderByDescending(c => c.Value.Permit + c.Value.Deny).Take(25))
        {
            Console.WriteLine($"    {label,-40} permit {permit,6}  deny {deny,6}");
        }
        Console.WriteLine("    deny reasons: " + string.Join(", ", reasons.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")));
    }
}
