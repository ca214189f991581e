using PermissionLayer.Server.Tests.Consistency.Invariants;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency;

/// <summary>
/// The cross-API consistency suite (issue 13), in the spirit of SpiceDB's: over randomly generated
/// entitlement graphs and tokens, at several instants of the decision clock, before and after changes
/// that take access away, every (token, patient) pair must get the same answer from Check, CheckBatch,
/// StreamAccessiblePatients, the search obligations and WhoCanSee, and privacy attributes must follow
/// the grants that reach the patient, and a result a search obligation admits is one a read permits (Invariants/: a to i). Each seed loads its own case through the
/// admin API into one shared server; a failure prints the seed, each broken invariant with a shrunk
/// case, and the whole case. See ConsistencySettings for the environment variables (more seeds,
/// replaying one).
/// </summary>
public sealed class CrossApiConsistencyTests(ConsistencyServerFixture server) : IClassFixture<ConsistencyServerFixture>
{
    public static TheoryData<int> Seeds => [.. ConsistencySettings.Seeds()];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Every_api_gives_the_same_answer_for_each_requester_and_patient(int seed)
    {
        var @case = CaseGenerator.Generate(seed);
        var runner = new CaseRunner(server);
        var loaded = await runner.LoadAsync(@case, $"s{seed}-");
        var tokens = Enumerable.Range(0, @case.Tokens.Count).ToList();
        // Every instant, then the case's changes, then every instant again.
        var before = new List<CaseContext>();
        foreach (var (at, i) in @case.Instants.Select((at, i) => (at, i)))
        {
            before.Add(new CaseContext(loaded, 0, await runner.AskAsync(loaded, tokens, at, seed * 31 + i)));
        }
        await runner.ApplyAsync(loaded);
        var after = new List<CaseContext>();
        foreach (var (at, i) in @case.Instants.Select((at, i) => (at, i)))
        {
            after.Add(new CaseContext(loaded, 1, await runner.AskAsync(loaded, tokens, at, seed * 37 + i)));
        }
        var violations = before.Concat(after).SelectMany(AllInvariants.Check)
            .Concat(before.Zip(after).SelectMany(p => Monotonicity.Check(p.First, p.Second))).ToList();
        var premises = new Dictionary<string, int>();
        foreach (var (invariant, count) in before.Concat(after).SelectMany(c => c.Premises))
        {
            premises[invariant] = premises.GetValueOrDefault(invariant) + count;
        }
        // How much each invariant checked in this case (visible in the test's output).
        foreach (var (invariant, count) in premises.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"{count,5} × {invariant}");
        }
        ConsistencySettings.Record(seed, premises);
        if (violations.Count > 0)
        {
            Assert.Fail(await new FailureReport(new CaseShrinker(runner)).WriteAsync(@case, violations));
        }
    }
}
