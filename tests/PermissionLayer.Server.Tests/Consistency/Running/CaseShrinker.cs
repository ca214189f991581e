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

    /// <summary>The smallest case found, its violation, and every violation that case shows (other invariants it shrinks for).</summary>
    public sealed record Result(ConsistencyCase Case, Violation Violation, IReadOnlyList<Violation> All, int Attempts, bool Reproduced, bool Finished);

    public async Task<Result> ShrinkAsync(ConsistencyCase original, Violation violation, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        var current = original with
        {
            Tokens = [original.Tokens[Math.Max(violation.Token, 0)]], Instants = [violation.At], Mutations = violation.Phase == 0 ? [] : original.Mutations,
        };
        var attempts = 1;
        var all = await ViolationsAsync(current, violation.Phase);
        if (all.FirstOrDefault(v => v.SameFailureAs(violation)) is not { } found)
        {
            return new Result(original, violation, [], attempts, Reproduced: false, Finished: true);
        }
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
                    return new Result(current, found, all, attempts, Reproduced: true, Finished: false);
                }
                attempts++;
                var shown = await ViolationsAsync(candidates[i], violation.Phase);
                if (shown.FirstOrDefault(v => v.SameFailureAs(violation)) is { } still)
                {
                    (current, found, all, progress) = (candidates[i], still, shown, true);
                    candidates = CaseReductions.Of(current, violation.Patient).ToList();
                    i--;
                }
            }
        }
        return new Result(current, found, all, attempts, Reproduced: true, Finished: true);
    }

    /// <summary>Loads the candidate and asks at its instant; for a failure after the changes, makes them and asks again.</summary>
    private async Task<IReadOnlyList<Violation>> ViolationsAsync(ConsistencyCase candidate, int phase)
    {
        var prefix = $"s{candidate.Seed}x{Interlocked.Increment(ref _attempts)}-";
        var loaded = await runner.LoadAsync(candidate, prefix);
        var before = new CaseContext(loaded, 0, await runner.AskAsync(loaded, [0], candidate.Instants[0], candidate.Seed));
        if (phase == 0)
        {
            return AllInvariants.Check(before);
        }
        await runner.ApplyAsync(loaded);
        var after = new CaseContext(loaded, 1, await runner.AskAsync(loaded, [0], candidate.Instants[0], candidate.Seed));
        return [.. AllInvariants.Check(after), .. Monotonicity.Check(before, after)];
    }
}
