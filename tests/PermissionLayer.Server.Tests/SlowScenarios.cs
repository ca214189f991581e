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
}
