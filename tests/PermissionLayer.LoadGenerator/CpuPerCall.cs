namespace PermissionLayer.LoadGenerator;

/// <summary>One phase's CPU divided by its calls, in microseconds, and how busy the machine was.</summary>
internal sealed record CpuPerCall(double LoadGenerator, double Server, double PostgreSql, double Machine, double BusyCores)
{
    public static CpuPerCall Of(CpuMeter.Reading reading, long calls)
    {
        double PerCall(double seconds) => calls == 0 ? 0 : seconds * 1e6 / calls;
        return new CpuPerCall(PerCall(reading.LoadGenerator), PerCall(reading.Server), PerCall(reading.PostgreSql),
            PerCall(reading.MachineBusy), reading.MachineBusy / reading.Elapsed);
    }

    public override string ToString() =>
        $"load generator {LoadGenerator,5:F1} µs, server {Server,5:F1} µs, PostgreSQL {PostgreSql,5:F1} µs, "
        + $"whole machine {Machine,5:F1} µs (busy {BusyCores:F2} cores)";

    /// <summary>
    /// Medians over rounds, what each method costs beyond Ping, and the ceiling PostgreSQL's share
    /// alone puts on Check ÷ Ping: with the cores saturated, throughput is inversely proportional to
    /// the machine's CPU per call, so even if everything else cost what it costs for Ping, Check ÷
    /// Ping could not exceed Ping's machine CPU per call ÷ (that + PostgreSQL's extra per Check).
    /// </summary>
    public static void Report(IReadOnlyList<CpuPerCall> ping, IReadOnlyDictionary<string, List<CpuPerCall>> methods)
    {
        var baseline = Median(ping);
        Console.WriteLine($"CPU per call, medians over rounds (Ping: {baseline})");
        foreach (var (method, rounds) in methods)
        {
            var m = Median(rounds);
            Console.WriteLine($"{method} CPU per call: {m}; beyond Ping: load generator {m.LoadGenerator - baseline.LoadGenerator:+0.0;-0.0} µs, "
                + $"server {m.Server - baseline.Server:+0.0;-0.0} µs, PostgreSQL {m.PostgreSql - baseline.PostgreSql:+0.0;-0.0} µs, "
                + $"whole machine {m.Machine - baseline.Machine:+0.0;-0.0} µs");
            var ceiling = baseline.Machine / (baseline.Machine + Math.Max(0, m.PostgreSql - baseline.PostgreSql));
            Console.WriteLine($"{method}/Ping ceiling from PostgreSQL's share alone: {ceiling:F2}");
        }
    }

    private static CpuPerCall Median(IReadOnlyList<CpuPerCall> rounds)
    {
        double Of(Func<CpuPerCall, double> field) => rounds.Select(field).Order().ElementAt(rounds.Count / 2);
        return new CpuPerCall(Of(r => r.LoadGenerator), Of(r => r.Server), Of(r => r.PostgreSql), Of(r => r.Machine), Of(r => r.BusyCores));
    }
}
