using System.Diagnostics;
using System.Text;
using PermissionLayer.Server.Tests.Consistency.Invariants;
using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// Writes a failed seed for a reader: per distinct failure (invariant and cause), how many pairs broke
/// it, the first one shrunk to a minimal case (once per run, within the run's shrink budget), a few
/// more pairs, then the whole generated case.
/// </summary>
internal sealed class FailureReport(CaseShrinker shrinker)
{
    /// <summary>Per failure (signature), the minimal case shown for it in this run: shrunk for it, or for another failure that case shows too.</summary>
    private static readonly Dictionary<string, string> Shrunk = [];
    private static readonly Stopwatch Spent = new();

    public async Task<string> WriteAsync(ConsistencyCase @case, IReadOnlyList<Violation> violations)
    {
        var groups = violations.GroupBy(v => v.Signature).ToList();
        var text = new StringBuilder();
        text.AppendLine($"seed {@case.Seed}: {violations.Count} violation(s) of {groups.Count} kind(s); replay with PERMISSIONLAYER_CONSISTENCY_SEED={@case.Seed} (ids on the server are prefixed s{@case.Seed}-)");
        foreach (var group in groups)
        {
            var first = group.First();
            text.AppendLine();
            text.AppendLine($"== {group.Key}: {group.Count()} pair(s)");
            text.Append(await MinimalAsync(@case, first));
            foreach (var other in group.Skip(1).Take(4))
            {
                text.AppendLine($"   also {other.Where}: observed {other.Observed}");
            }
            if (group.Count() > 5)
            {
                text.AppendLine($"   … and {group.Count() - 5} more");
            }
        }
        text.AppendLine();
        text.AppendLine("the whole case:");
        text.Append(CaseText.Describe(@case));
        await AppendToReportFileAsync(@case, violations);
        return text.ToString();
    }

    private async Task<string> MinimalAsync(ConsistencyCase @case, Violation violation)
    {
        var pair = $"   {violation.Where}\n" +
                   $"   expected: {violation.Expected}\n   observed: {violation.Observed}\n";
        lock (Shrunk)
        {
            if (Shrunk.TryGetValue(violation.Signature, out var earlier))
            {
                return pair + $"   (shrunk earlier in this run, for seed {earlier})\n";
            }
            if (Spent.Elapsed >= ConsistencySettings.ShrinkBudget)
            {
                return pair + "   (not shrunk: the run's shrink budget is spent)\n";
            }
            Shrunk[violation.Signature] = $"{@case.Seed}";
        }
        Spent.Start();
        try
        {
            var result = await shrinker.ShrinkAsync(@case, violation, ConsistencySettings.ShrinkBudget - Spent.Elapsed);
            if (!result.Reproduced)
            {
                return pair + "   (not shrunk: with only this token at this instant the failure does not reproduce)\n";
            }
            var v = result.Violation;
            var others = result.All.Select(a => a.Signature).Where(s => s != v.Signature).Distinct().ToList();
            lock (Shrunk)
            {
                foreach (var signature in result.All.Select(a => a.Signature).Where(s => !Shrunk.ContainsKey(s)))
                {
                    Shrunk[signature] = $"{@case.Seed}, as the minimal case of [{violation.Signature}]";
                }
            }
            return pair + $"   shrunk in {result.Attempts} attempt(s){(result.Finished ? "" : " (budget spent before the end)")} to:\n" +
                   CaseText.Describe(result.Case, "     ") +
                   $"     expected: {v.Expected}\n     observed: {v.Observed}\n" +
                   (others.Count == 0 ? "" : $"     this case also breaks: {string.Join("; ", others)}\n");
        }
        finally
        {
            Spent.Stop();
        }
    }

    private static async Task AppendToReportFileAsync(ConsistencyCase @case, IReadOnlyList<Violation> violations)
    {
        if (ConsistencySettings.ReportFile is not { } path)
        {
            return;
        }
        var lines = violations.Select(v => $"{@case.Seed}\t{v.Signature}\t{(v.Token < 0 ? "any token" : $"token #{v.Token}: {@case.Tokens[v.Token]}")}\t{v.Patient}\t{CaseTime.Describe(v.At)}\t{v.Observed}");
        await File.AppendAllLinesAsync(path, lines);
    }
}
