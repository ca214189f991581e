using System.Diagnostics;
using PermissionLayer.Server.Tests.Consistency.Invariants;
using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// Greedy shrinking against the real server: keep only the failing token and instant, then take every
/// reduction (CaseReductions) after which the same invariant still fails for the same patient with the
/// same cause, until none does or the time runs out. Each attempt loads the smaller case under a fresh
/// prefix, so attempts never see each other's entities.
/// </summary>
internal sealed class CaseShrinker(CaseRunner runner)
{
    private static int _attempts;

    public sealed record Result(ConsistencyCase Case, Violation Violation, int Attempts, bool Reproduced, bool Finished);

    public async Task<Result> ShrinkAsync(ConsistencyCase original, Violation violation, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        var current = original with
        {
            Tokens = [original.Tokens[Math.Max(violation.Token, 0)]], Instants = [violation.At], Mutations = violation.Phase == 0 ? [] : original.Mutations,
        };
        var attempts = 1;
        if (await FailsAsync(current, violation) is not { } isolated)
        {
            return new Result(original, violation, attempts, Reproduced: false, Finished: true);
        }
        var found = isolated;
        // Passes over the reductions: after taking one, the next pass position stays where it was (the
        // candidates before it were refused, and mostly still would be); a pass that took nothing ends it.
        var progress = true;
        while (progress)
        {
            progress = false;
            var candidates = CaseReductions.Of(current, violation.Patient).ToList();
            for (var i = 0; i < candidates.Count; i++)
            {
                if (clock.Elapsed > budget)
                {
                    return new Result(current, found, attempts, Reproduced: true, Finished: false);
                }
                attempts++;
                if (await FailsAsync(candidates[i], violation) is { } still)
                {
                    (current, found, progress) = (candidates[i], still, true);
                    candidates = CaseReductions.Of(current, violation.Patient).ToList();
                    i--;
                }
            }
        }
        return new Result(current, found, attempts, Reproduced: true, Finished: true);
    }

    private async Task<Violation?> FailsAsync(ConsistencyCase candidate, Violation target)
    {
        var prefix = $"s{candidate.Seed}x{Interlocked.Increment(ref _attempts)}-";
        var loaded = await runner.LoadAsync(candidate, prefix);
        var before = new CaseContext(loaded, 0, await runner.AskAsync(loaded, [0], candidate.Instants[0], candidate.Seed));
        if (target.Phase == 0)
        {
            return AllInvariants.Check(before).FirstOrDefault(v => v.SameFailureAs(target));
        }
        await runner.ApplyAsync(loaded);
        var after = new CaseContext(loaded, 1, await runner.AskAsync(loaded, [0], candidate.Instants[0], candidate.Seed));
        return AllInvariants.Check(after).Concat(Monotonicity.Check(before, after)).FirstOrDefault(v => v.SameFailureAs(target));
    }
}
