using Grpc.Core;
using Grpc.Net.Client;
using PermissionLayer.Contracts.V1;
using PermissionLayer.LoadGenerator;

// Alternates Ping (no-op) and Check at the same concurrency on the same server, several rounds,
// and prints each round and the ratios of the medians over rounds (PERFORMANCE.md method).
var settings = LoadSettings.Parse(args);
var channels = Enumerable.Range(0, settings.Channels).Select(_ => GrpcChannel.ForAddress(settings.Address, new GrpcChannelOptions
{
    Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
    {
        metadata.Add("authorization", $"Bearer {settings.Key}");
        return Task.CompletedTask;
    })),
    UnsafeUseInsecureChannelCallCredentials = true,
})).ToList();
var clients = channels.Select(c => new DecisionService.DecisionServiceClient(c)).ToList();
var check = new CheckRequest
{
    Token = new TokenContext { ClientId = settings.Client, FhirUser = settings.User, Scope = "user/Patient.rs" },
    Interaction = Interaction.Read,
    ResourceType = "Patient",
    ResourceId = settings.Patient,
};
var ping = new PingRequest();

var answer = await clients[0].CheckAsync(check);
Console.WriteLine($"warm-up Check: {answer.Outcome} ({string.Join("; ", answer.Reasons.Select(r => r.Code))})");
await ClosedLoop.RunAsync("warmup", settings.Concurrency, TimeSpan.FromSeconds(2), w => clients[w % clients.Count].PingAsync(ping).ResponseAsync);
await ClosedLoop.RunAsync("warmup", settings.Concurrency, TimeSpan.FromSeconds(2), w => clients[w % clients.Count].CheckAsync(check).ResponseAsync);

Console.WriteLine($"{Environment.ProcessorCount} cores, concurrency {settings.Concurrency}, {settings.Channels} channels, {settings.Rounds} rounds x {settings.Duration.TotalSeconds:F0} s per method");
var pings = new List<LatencySample>();
var checks = new List<LatencySample>();
for (var round = 1; round <= settings.Rounds; round++)
{
    pings.Add(await ClosedLoop.RunAsync("Ping", settings.Concurrency, settings.Duration, w => clients[w % clients.Count].PingAsync(ping).ResponseAsync));
    checks.Add(await ClosedLoop.RunAsync("Check", settings.Concurrency, settings.Duration, w => clients[w % clients.Count].CheckAsync(check).ResponseAsync));
    Console.WriteLine($"round {round}: {pings[^1]}");
    Console.WriteLine($"round {round}: {checks[^1]}");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

var throughputRatio = Median(checks.Select(c => c.Throughput)) / Median(pings.Select(p => p.Throughput));
var p99Ratio = Median(checks.Select(c => c.Percentile(0.99))) / Median(pings.Select(p => p.Percentile(0.99)));
Console.WriteLine($"Check/Ping throughput ratio (median of rounds): {throughputRatio:F2}");
Console.WriteLine($"Check/Ping p99 ratio (median of rounds): {p99Ratio:F2}");
return checks.Concat(pings).Any(s => s.Errors > 0) ? 1 : 0;
