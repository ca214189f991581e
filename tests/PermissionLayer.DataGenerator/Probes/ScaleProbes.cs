using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.DataGenerator.Generation;
using PermissionLayer.DataGenerator.Loading;

namespace PermissionLayer.DataGenerator.Probes;

/// <summary>
/// The scale measurements of deploy/local/bench.sh that the load generator does not make, each over
/// gRPC against a running server holding a loaded data set (<c>--data</c>, <c>--address</c>, <c>--key</c>
/// a pep key). Every probe prints one <c>RESULT {json}</c> line for bench.sh to collect:
/// <list type="bullet">
/// <item><c>population [--since-ms T]</c>: the first search naming no patient after a start (the consent registry
/// loaded), and the time since T (the process start) when it answered.</item>
/// <item><c>cold</c>: the first Check of each big-panel practitioner (a cold activation), then a second (warm).</item>
/// <item><c>narrow [--practitioner dr0] [--repeat 5] [--background 8]</c>: StreamAccessiblePatients, first page and
/// whole stream, while the request mix runs in the background.</item>
/// <item><c>activate [--parallel 8]</c>: one Check for every practitioner and every client (each principal activated once).</item>
/// <item><c>revoke --admin-key K [--rounds 200]</c>: grant, check (permit), revoke, check again at once: permits after
/// the acknowledged revoke are stale (must be 0). Run it while the load generator runs.</item>
/// </list>
/// </summary>
public static class ScaleProbes
{
    public static async Task<int> RunAsync(string probe, Arguments a, TextWriter log)
    {
        var folder = a.Get("data");
        var network = new HospitalNetwork(NetworkSize.FromManifest(folder));
        using var channel = AdminChannel.Open(a.Get("address", "http://127.0.0.1:5080"), a.Get("key"));
        var decisions = new DecisionService.DecisionServiceClient(channel);
        switch (probe)
        {
            case "population": return await PopulationAsync(network, decisions, a, log);
            case "cold": return await ColdAsync(network, decisions, log);
            case "narrow": return await NarrowAsync(network, decisions, folder, a, log);
            case "activate": return await ActivateAsync(network, decisions, a, log);
            case "revoke":
            {
                using var adminChannel = AdminChannel.Open(a.Get("address", "http://127.0.0.1:5080"), a.Get("admin-key"));
                return await RevokeAsync(decisions, new AdminService.AdminServiceClient(adminChannel), a, log);
            }
            default:
                log.WriteLine($"unknown probe '{probe}'");
                return 2;
        }
    }

    private static void Result(TextWriter log, string json) => log.WriteLine($"RESULT {json}");

    private static TokenContext Token(int practitioner, int client = 0, string scope = "user/Observation.rs user/Patient.rs") => new()
    {
        ClientId = HospitalNetwork.ClientId(client),
        FhirUser = $"Practitioner/{HospitalNetwork.PractitionerId(practitioner)}",
        Scope = scope,
        PurposeOfUse = "TREAT",
    };

    private static CheckRequest Read(TokenContext token, string patient) => new()
    {
        Token = token,
        Interaction = Interaction.Read,
        ResourceType = "Patient",
        ResourceId = patient,
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patient } } },
    };

    private static int SmallPractitioner(HospitalNetwork network) => network.Size.BigPanels.Count;

    private static async Task<int> PopulationAsync(HospitalNetwork network, DecisionService.DecisionServiceClient decisions, Arguments a, TextWriter log)
    {
        var request = new CheckRequest
        {
            Token = Token(SmallPractitioner(network)), Interaction = Interaction.SearchType, ResourceType = "Observation", Query = "category=laboratory",
        };
        var clock = Stopwatch.StartNew();
        var tries = 0;
        while (true)
        {
            try
            {
                tries++;
                var answer = await decisions.CheckAsync(request, deadline: DateTime.UtcNow.AddMinutes(5));
                var since = a.Has("since-ms") ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - long.Parse(a.Get("since-ms"), System.Globalization.CultureInfo.InvariantCulture) : -1;
                Result(log, $"{{\"probe\":\"population\",\"outcome\":\"{answer.Outcome}\",\"callMs\":{clock.Elapsed.TotalMilliseconds:F1},\"tries\":{tries},\"sinceStartMs\":{since}}}");
                return 0;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && clock.Elapsed < TimeSpan.FromMinutes(5))
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<int> ColdAsync(HospitalNetwork network, DecisionService.DecisionServiceClient decisions, TextWriter log)
    {
        // Warm the path first (client, registration, channel, JIT) with a practitioner that is not measured.
        var small = SmallPractitioner(network);
        await decisions.CheckAsync(Read(Token(small), HospitalNetwork.PatientId(network.Panel(small)[0])));
        await decisions.CheckAsync(Read(Token(small + 1), HospitalNetwork.PatientId(network.Panel(small + 1)[0])));
        for (var k = 0; k < network.Size.BigPanels.Count; k++)
        {
            var patient = HospitalNetwork.PatientId(network.Panel(k)[1]);
            var clock = Stopwatch.StartNew();
            var first = await decisions.CheckAsync(Read(Token(k), patient));
            var cold = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var second = await decisions.CheckAsync(Read(Token(k), patient));
            var warm = clock.Elapsed.TotalMilliseconds;
            Result(log, $"{{\"probe\":\"cold\",\"practitioner\":\"{HospitalNetwork.PractitionerId(k)}\",\"panel\":{network.Size.BigPanels[k]},"
                + $"\"coldMs\":{cold:F1},\"warmMs\":{warm:F2},\"outcome\":\"{first.Outcome}\",\"warmOutcome\":\"{second.Outcome}\"}}");
        }
        return 0;
    }

    private static async Task<int> NarrowAsync(HospitalNetwork network, DecisionService.DecisionServiceClient decisions, string folder, Arguments a, TextWriter log)
    {
        var practitioner = int.Parse(a.Get("practitioner", "dr0")[2..], System.Globalization.CultureInfo.InvariantCulture);
        var repeat = a.Int("repeat", 5);
        var mix = new MixFile(Path.Combine(folder, "requests.ndjson"), 5_000);
        await using var background = new BackgroundLoad(decisions, mix, a.Int("background", 8));
        background.Start();
        await Task.Delay(2_000);
        var firstPages = new List<double>();
        var wholes = new List<double>();
        long ids = 0;
        var complete = false;
        var excluded = 0;
        for (var r = 0; r < repeat; r++)
        {
            var request = new AccessiblePatientsRequest { Token = Token(practitioner), Interaction = Interaction.SearchType, ResourceType = "Observation", PageSize = 1_000 };
            var clock = Stopwatch.StartNew();
            using var call = decisions.StreamAccessiblePatients(request, deadline: DateTime.UtcNow.AddMinutes(2));
            var first = -1.0;
            ids = 0;
            await foreach (var page in call.ResponseStream.ReadAllAsync())
            {
                if (first < 0)
                {
                    first = clock.Elapsed.TotalMilliseconds;
                    excluded = page.ExcludedPatientIds.Count;
                }
                ids += page.PatientIds.Count;
                complete = page.Complete;
            }
            firstPages.Add(first);
            wholes.Add(clock.Elapsed.TotalMilliseconds);
        }
        var load = background.Describe();
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        Result(log, $"{{\"probe\":\"narrow\",\"practitioner\":\"dr{practitioner}\",\"panel\":{network.PanelSize(practitioner)},\"ids\":{ids},\"excluded\":{excluded},\"complete\":{(complete ? "true" : "false")},"
            + $"\"firstPageMsMedian\":{Median(firstPages):F1},\"firstPageMsMax\":{firstPages.Max():F1},\"wholeMsMedian\":{Median(wholes):F1},\"wholeMsMax\":{wholes.Max():F1},"
            + $"\"repeat\":{repeat},\"load\":\"{load}\"}}");
        return 0;
    }

    private static async Task<int> ActivateAsync(HospitalNetwork network, DecisionService.DecisionServiceClient decisions, Arguments a, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var batches = new List<CheckBatchRequest>();
        var batch = new CheckBatchRequest();
        for (var k = 0; k < network.Size.Practitioners; k++)
        {
            batch.Entries.Add(Read(Token(k), HospitalNetwork.PatientId(network.Panel(k)[0])));
            if (batch.Entries.Count == 20)
            {
                batches.Add(batch);
                batch = new CheckBatchRequest();
            }
        }
        for (var c = 0; c < network.Size.Clients; c++)
        {
            var practitioner = c % network.Size.Practitioners;
            batch.Entries.Add(Read(Token(practitioner, c, "user/Patient.rs"), HospitalNetwork.PatientId(network.Panel(practitioner)[0])));
            if (batch.Entries.Count == 20)
            {
                batches.Add(batch);
                batch = new CheckBatchRequest();
            }
        }
        if (batch.Entries.Count > 0)
        {
            batches.Add(batch);
        }
        long permits = 0, denies = 0, done = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = a.Int("parallel", 8) }, async (b, _) =>
        {
            var answer = await decisions.CheckBatchAsync(b, deadline: DateTime.UtcNow.AddMinutes(5));
            foreach (var result in answer.Results)
            {
                Interlocked.Increment(ref result.Decision?.Outcome == Outcome.Permit ? ref permits : ref denies);
            }
            if (Interlocked.Increment(ref done) % 100 == 0)
            {
                log.WriteLine($"[activate] {done * 20:N0} principals, {clock.Elapsed.TotalSeconds:F1} s");
            }
        });
        Result(log, $"{{\"probe\":\"activate\",\"practitioners\":{network.Size.Practitioners},\"clients\":{network.Size.Clients},\"permits\":{permits},\"denies\":{denies},\"seconds\":{clock.Elapsed.TotalSeconds:F1}}}");
        return 0;
    }

    /// <summary>
    /// Each round: a fresh grant (Practitioner/probe-rev → Patient/probe-pN), a Check that must permit,
    /// the revoke, and — the moment it is acknowledged — a Check and a one-entry CheckBatch. A permit
    /// of either is a stale permit.
    /// </summary>
    private static async Task<int> RevokeAsync(DecisionService.DecisionServiceClient decisions, AdminService.AdminServiceClient admin, Arguments a, TextWriter log)
    {
        var rounds = a.Int("rounds", 200);
        var token = new TokenContext { ClientId = HospitalNetwork.ClientId(0), FhirUser = "Practitioner/probe-rev", Scope = "user/Patient.rs", PurposeOfUse = "TREAT" };
        long before = 0, stale = 0, checks = 0;
        var revokeMs = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            var patient = $"probe-p{r}";
            var created = await admin.CreateGrantAsync(new CreateGrantRequest
            {
                Grant = new Grant { Principal = "Practitioner/probe-rev", Target = $"Patient/{patient}", Actions = "rs", Reason = "revocation probe" },
            });
            if ((await decisions.CheckAsync(Read(token, patient))).Outcome == Outcome.Permit)
            {
                before++;
            }
            var revoking = Stopwatch.StartNew();
            await admin.RevokeGrantAsync(new RevokeGrantRequest { GrantId = created.Grant.Id, Principal = "Practitioner/probe-rev", Reason = "revocation probe" });
            revokeMs.Add(revoking.Elapsed.TotalMilliseconds);
            var after = await decisions.CheckAsync(Read(token, patient));
            var batch = await decisions.CheckBatchAsync(new CheckBatchRequest { Entries = { Read(token, patient) } });
            checks += 2;
            if (after.Outcome == Outcome.Permit)
            {
                stale++;
            }
            if (batch.Results[0].Decision?.Outcome == Outcome.Permit)
            {
                stale++;
            }
        }
        var median = revokeMs.Order().ElementAt(revokeMs.Count / 2);
        Result(log, $"{{\"probe\":\"revoke\",\"rounds\":{rounds},\"permitsBeforeRevoke\":{before},\"checksAfterRevoke\":{checks},\"stalePermits\":{stale},"
            + $"\"revokeMsMedian\":{median:F1},\"seconds\":{clock.Elapsed.TotalSeconds:F1}}}");
        return stale == 0 && before == rounds ? 0 : 1;
    }
}
