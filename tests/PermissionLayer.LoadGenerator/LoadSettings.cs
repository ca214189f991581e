namespace PermissionLayer.LoadGenerator;

/// <summary>
/// Command-line settings: --address, --key, --concurrency, --seconds, --rounds, --channels, --user,
/// --patient, --client, --targets (label=address,...: servers in different audit modes whose
/// Check is measured in turn; Ping runs against the first), and for CPU accounting --server-pids
/// (the targets' process ids, in the same order) and --postmaster-pid. With --mix (a requests.ndjson of
/// tests/PermissionLayer.DataGenerator) each Check phase replays that mix (Check and CheckBatch) instead
/// of the one fixed Check.
/// </summary>
internal sealed record LoadSettings(
    string Address, string Key, int Concurrency, TimeSpan Duration, int Rounds, int Channels, string User, string Patient, string Client,
    IReadOnlyList<(string Label, string Address)> Targets, IReadOnlyList<int> ServerPids, int? PostmasterPid, string? Mix)
{
    public static LoadSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        return new LoadSettings(
            Get("address", "http://127.0.0.1:5080"),
            values.TryGetValue("key", out var key) ? key : throw new ArgumentException("--key <pep api key> is required"),
            int.Parse(Get("concurrency", "64")),
            TimeSpan.FromSeconds(double.Parse(Get("seconds", "10"), System.Globalization.CultureInfo.InvariantCulture)),
            int.Parse(Get("rounds", "3")),
            int.Parse(Get("channels", "4")),
            Get("user", "Practitioner/bench-doc"),
            Get("patient", "bench-patient"),
            Get("client", "bench-app"),
            values.TryGetValue("targets", out var targets)
                ? [.. targets.Split(',').Select(t => t.Split('=', 2)).Select(t => (t[0], t[1]))]
                : [("Check", Get("address", "http://127.0.0.1:5080"))],
            values.TryGetValue("server-pids", out var pids) ? [.. pids.Split(',').Select(int.Parse)] : [],
            values.TryGetValue("postmaster-pid", out var postmaster) ? int.Parse(postmaster) : null,
            values.GetValueOrDefault("mix"));
    }
}
