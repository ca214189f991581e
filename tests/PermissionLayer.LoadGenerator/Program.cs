using Grpc.Core;
using Grpc.Net.Client;
using PermissionLayer.Contracts.V1;
using PermissionLayer.LoadGenerator;
using PermissionLayer.LoadGenerator.Peers;

// Alternates Ping (no-op) and Check at the same concurrency, several rounds, and prints each round
// and the ratios of the medians over rounds (PERFORMANCE.md method). With --targets, Check runs
// against each server in turn (e.g. audit Off, Durable, Queued), all inside the same rounds.
var settings = LoadSettings.Parse(args);
GrpcChannel Channel(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
{
    Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
    {
        metadata.Add("authorization", $"Bearer {settings.Key}");
        return Task.CompletedTask;
    })),
    UnsafeUseInsecureChannelCallCredentials = true,
});
// A target is our server, or (address cerbos+http://…) a Cerbos PDP asked the same peer cases, without our key.
GrpcChannel PlainChannel(string address) => GrpcChannel.ForAddress(address);
var targets = settings.Targets.Select(t => t.Address.StartsWith(PeerTarget.CerbosScheme, StringComparison.Ordinal)
    ? new PeerTarget(t.Label, [], [.. Enumerable.Range(0, settings.Channels).Select(_ =>
        new PermissionLayer.LoadGenerator.Cerbos.CerbosService.CerbosServiceClient(PlainChannel(t.Address[PeerTarget.CerbosScheme.Length..])))])
    : new PeerTarget(t.Label, [.. Enumerable.Range(0, settings.Channels).Select(_ => new DecisionService.DecisionServiceClient(Channel(t.Address)))], null)).ToList();
var pingClients = targets[0].Decisions;
var check = new CheckRequest
{
    Token = new TokenContext { ClientId = settings.Client, FhirUser = settings.User, Scope = "user/Patient.rs" },
    Interaction = Interaction.Read,
    ResourceType = "Patient",
    ResourceId = settings.Patient,
    Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { settings.Patient } } },
};
var ping = new PingRequest();
var mix = settings.Mix is null ? null : new PermissionLayer.DataGenerator.Probes.MixFile(settings.Mix);
var mixNext = new int[settings.Concurrency];
var peerCases = settings.PeerData is null || mix is null ? null : PeerCases.Build(settings.PeerData, mix, settings.PeerCases);
var cerbosRequests = peerCases?.Select(CerbosRequests.For).ToArray();
// One Check phase call: the fixed Check, the worker's next peer case (to our server or the peer), or the
// worker's next line of the mix (workers start far apart in it).
Task CheckCall(PeerTarget target, int worker)
{
    if (peerCases is not null)
    {
        var i = (worker * 7_919 + mixNext[worker]++) % peerCases.Count;
        return target.Cerbos is { } cerbos
            ? cerbos[worker % cerbos.Count].CheckResourcesAsync(cerbosRequests![i]).ResponseAsync
            : target.Decisions[worker % target.Decisions.Count].CheckAsync(peerCases[i].Check).ResponseAsync;
    }
    var clients = target.Decisions;
    var client = clients[worker % clients.Count];
    if (mix is null)
    {
        return client.CheckAsync(check).ResponseAsync;
    }
    var entry = mix.Entries[(worker * 7_919 + mixNext[worker]++) % mix.Entries.Count];
    return entry.SendAsync(client);
}
var cpu = new CpuMeter(
    settings.Targets.Zip(settings.ServerPids).ToDictionary(t => t.First.Label, t => t.Second), settings.PostmasterPid);
var usage = new Dictionary<string, List<CpuPerCall>>();

// One measured phase: the closed loop, and (with --server-pids) where its CPU went.
async Task<LatencySample> MeasureAsync(int round, string method, string server, Func<int, Task> call)
{
    var stop = cpu.Available ? cpu.Start(server) : null;
    var sample = await ClosedLoop.RunAsync(method, settings.Concurrency, settings.Duration, call);
    Console.WriteLine($"round {round}: {sample}");
    if (stop is not null)
    {
        var perCall = CpuPerCall.Of(stop(), sample.Calls);
        (usage.TryGetValue(method, out var list) ? list : usage[method] = []).Add(perCall);
        Console.WriteLine($"    CPU per call: {perCall}");
    }
    return sample;
}

await ClosedLoop.RunAsync("warmup", settings.Concurrency, TimeSpan.FromSeconds(2), w => pingClients[w % pingClients.Count].PingAsync(ping).ResponseAsync);
var disagreed = false;
if (peerCases is not null)
{
    // Every target decides the peer cases once before timing, and must decide them as our first target does.
    var ours = await PeerAgreement.OursAsync(targets[0].Decisions, peerCases);
    Console.WriteLine($"peer cases: {peerCases.Count} Observation reads of the mix, {peerCases.Select(c => c.Practitioner).Distinct().Count()} practitioners, "
        + $"panels of {peerCases.Average(c => c.Panel.Count):F0} patients on average (largest {peerCases.Max(c => c.Panel.Count)}); ours: "
        + string.Join(", ", ours.GroupBy(o => o.Reason).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
    if (settings.PeerCasesOut is { } casesOut)
    {
        PeerCaseFile.Write(casesOut, peerCases, ours);
    }
    foreach (var target in targets.Skip(1))
    {
        disagreed |= !await PeerAgreement.CompareAsync(target, peerCases, cerbosRequests!, ours, settings.PeerAgreement);
    }
}
foreach (var target in targets)
{
    if (peerCases is not null)
    {
        // agreement checked above
    }
    else if (mix is null)
    {
        var answer = await target.Decisions[0].CheckAsync(check);
        Console.WriteLine($"warm-up {target.Label}: {answer.Outcome} ({string.Join("; ", answer.Reasons.Select(r => r.Code))})");
    }
    else
    {
        await MixOutcomes.ReportAsync(target.Label, target.Decisions, mix, Math.Min(mix.Entries.Count, 2_000));
    }
    await ClosedLoop.RunAsync("warmup", settings.Concurrency, TimeSpan.FromSeconds(2), w => CheckCall(target, w));
}
if (disagreed)
{
    Console.WriteLine("a peer does not decide the cases as our server does: not timed");
    return 3;
}

Console.WriteLine($"{Environment.ProcessorCount} cores, concurrency {settings.Concurrency}, {settings.Channels} channels, {settings.Rounds} rounds x {settings.Duration.TotalSeconds:F0} s per method");
var pings = new List<LatencySample>();
var checks = targets.ToDictionary(t => t.Label, _ => new List<LatencySample>());
for (var round = 1; round <= settings.Rounds; round++)
{
    pings.Add(await MeasureAsync(round, "Ping", targets[0].Label, w => pingClients[w % pingClients.Count].PingAsync(ping).ResponseAsync));
    foreach (var target in targets)
    {
        checks[target.Label].Add(await MeasureAsync(round, target.Label, target.Label, w => CheckCall(target, w)));
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

var pingThroughput = Median(pings.Select(p => p.Throughput));
var pingP99 = Median(pings.Select(p => p.Percentile(0.99)));
var baseline = targets[0].Label;
foreach (var (label, samples) in checks)
{
    var throughput = Median(samples.Select(c => c.Throughput));
    Console.WriteLine($"{label}/Ping throughput ratio (median of rounds): {throughput / pingThroughput:F2}");
    Console.WriteLine($"{label}/Ping p99 ratio (median of rounds): {Median(samples.Select(c => c.Percentile(0.99))) / pingP99:F2}");
    if (label != baseline)
    {
        Console.WriteLine($"{label}/{baseline} throughput ratio (median of rounds): {throughput / Median(checks[baseline].Select(c => c.Throughput)):F2}");
    }
    var medianCpu = usage.TryGetValue(label, out var rounds) ? rounds.Select(r => r.Server).Order().ElementAt(rounds.Count / 2) : double.NaN;
    var medianPg = usage.TryGetValue(label, out rounds) ? rounds.Select(r => r.PostgreSql).Order().ElementAt(rounds.Count / 2) : double.NaN;
    Console.WriteLine(System.FormattableString.Invariant(
        $"RESULT {{\"measure\":\"phase\",\"target\":\"{label}\",\"callsPerSecond\":{throughput:F0},\"p50Ms\":{Median(samples.Select(c => c.Percentile(0.50))) / 1000:F2},")
        + System.FormattableString.Invariant(
        $"\"p99Ms\":{Median(samples.Select(c => c.Percentile(0.99))) / 1000:F2},\"serverCpuUsPerCall\":{(double.IsNaN(medianCpu) ? "null" : medianCpu.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))},")
        + System.FormattableString.Invariant(
        $"\"postgresCpuUsPerCall\":{(double.IsNaN(medianPg) ? "null" : medianPg.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))},\"pingCallsPerSecond\":{pingThroughput:F0}}}"));
}
if (usage.TryGetValue("Ping", out var pingUsage))
{
    CpuPerCall.Report(pingUsage, usage.Where(u => u.Key != "Ping").ToDictionary());
}
return checks.Values.SelectMany(s => s).Concat(pings).Any(s => s.Errors > 0) ? 1 : 0;
