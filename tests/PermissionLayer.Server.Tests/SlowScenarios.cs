namespace PermissionLayer.Server.Tests;

/// <summary>
/// The reliability scenarios that take minutes (a node killed under load, kill -9 in queued mode,
/// PostgreSQL stopped and started) run only when <c>PERMISSIONLAYER_SLOW_SCENARIOS=1</c>
/// (docs/reliability.md), so that CI stays short; everywhere else they are skipped, saying so.
/// </summary>
internal static class SlowScenarios
{
    public const string Variable = "PERMISSIONLAYER_SLOW_SCENARIOS";

    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";

    public static void SkipUnlessEnabled() => Assert.SkipUnless(Enabled, $"a slow reliability scenario: set {Variable}=1 to run it");

    /// <summary>
    /// The figures of a scenario: in the test's output, and appended to the file named by
    /// <c>PERMISSIONLAYER_SCENARIO_REPORT</c> (default <c>reliability-figures.log</c> in the test
    /// folder), since a passing test's output is not shown by default.
    /// </summary>
    public static void Report(string figures)
    {
        var line = $"{DateTimeOffset.UtcNow:u} {TestContext.Current.Test?.TestDisplayName}: {figures}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var file = Environment.GetEnvironmentVariable("PERMISSIONLAYER_SCENARIO_REPORT") is { Length: > 0 } path
            ? path
            : Path.Combine(AppContext.BaseDirectory, "reliability-figures.log");
        lock (typeof(SlowScenarios))
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
