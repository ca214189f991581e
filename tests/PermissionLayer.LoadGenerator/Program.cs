using Grpc.Core;
using Grpc.Net.Client;
using PermissionLayer.Contracts.V1;
using PermissionLayer.LoadGenerator;

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
var targets = settings.Targets.Select(t => (t.Label, Clients: Enumerable.Range(0, settings.Channels)
    .Select(_ => new DecisionService.DecisionServiceClient(Channel(t.Address))).ToList())).ToList();
var pingClients = targets[0].Clients;
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
// One Check phase call: the fixed Check, or the worker's next line of the mix (workers start far apart in it).
Task CheckCall(List<DecisionService.DecisionServiceClient> clients, int worker)
{
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
foreach (var (label, clients) in targets)
{
    if (mix is null)
    {
        var answer = await clients[0].CheckAsync(check);
        Console.WriteLine($"warm-up {label}: {answer.Outcome} ({string.Join("; ", answer.Reasons.Select(r => r.Code))})");
    }
    else
    {
        await MixOutcomes.ReportAsync(label, clients, mix, Math.Min(mix.Entries.Count, 2_000));
    }
    await ClosedLoop.RunAsync("warmup", settings.Concurrency, TimeSpan.FromSeconds(2), w => CheckCall(clients, w));
}

Console.WriteLine($"{Environment.ProcessorCount} cores, concurrency {settings.Concurrency}, {settings.Channels} channels, {settings.Rounds} rounds x {settings.Duration.TotalSeconds:F0} s per method");
var pings = new List<LatencySample>();
var checks = targets.ToDictionary(t => t.Label, _ => new List<LatencySample>());
for (var round = 1; round <= settings.Rounds; round++)
{
    pings.Add(await MeasureAsync(round, "Ping", targets[0].Label, w => pingClients[w % pingClients.Count].PingAsync(ping).ResponseAsync));
    foreach (var (label, clients) in targets)
    {
        checks[label].Add(await MeasureAsync(round, label, label, w => CheckCall(clients, w)));
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
}
if (usage.TryGetValue("Ping", out var pingUsage))
{
    CpuPerCall.Report(pingUsage, usage.Where(u => u.Key != "Ping").ToDictionary());
}
return checks.Values.SelectMany(s => s).Concat(pings).Any(s => s.Errors > 0) ? 1 : 0;
