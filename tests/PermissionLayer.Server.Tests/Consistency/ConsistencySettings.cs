namespace PermissionLayer.Server.Tests.Consistency;

/// <summary>
/// How much the suite runs, from the environment. CI runs the default; a long run raises the count.
/// <list type="bullet">
/// <item><c>PERMISSIONLAYER_CONSISTENCY_SEEDS</c>: how many seeds (1..N; default 16).</item>
/// <item><c>PERMISSIONLAYER_CONSISTENCY_SEED</c>: replay exactly these seeds (comma-separated), e.g. one a failure printed.</item>
/// <item><c>PERMISSIONLAYER_CONSISTENCY_SHRINK_SECONDS</c>: time the whole run may spend shrinking failures (default 45);
/// each distinct failure (invariant and cause) is shrunk once per run, others are printed as found.</item>
/// <item><c>PERMISSIONLAYER_CONSISTENCY_REPORT</c>: a file to append every violation to, one line each, for a long run's summary.</item>
/// </list>
/// </summary>
internal static class ConsistencySettings
{
    private const int DefaultSeeds = 16;

    public static IReadOnlyList<int> Seeds()
    {
        if (Environment.GetEnvironmentVariable("PERMISSIONLAYER_CONSISTENCY_SEED") is { Length: > 0 } replay)
        {
            return [.. replay.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
        }
        var count = int.TryParse(Environment.GetEnvironmentVariable("PERMISSIONLAYER_CONSISTENCY_SEEDS"), out var n) && n > 0 ? n : DefaultSeeds;
        return [.. Enumerable.Range(1, count)];
    }

    public static TimeSpan ShrinkBudget =>
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("PERMISSIONLAYER_CONSISTENCY_SHRINK_SECONDS"), out var s) ? s : 45);

    /// <summary>Appends a case's premise tally to the report file, when one is set.</summary>
    public static void Record(int seed, IReadOnlyDictionary<string, int> premises)
    {
        if (ReportFile is { } path)
        {
            File.AppendAllLines(path, premises.Select(p => $"{seed}\tpremise\t{p.Key}\t{p.Value}"));
        }
    }

    public static string? ReportFile => Environment.GetEnvironmentVariable("PERMISSIONLAYER_CONSISTENCY_REPORT") is { Length: > 0 } path ? path : null;
}
