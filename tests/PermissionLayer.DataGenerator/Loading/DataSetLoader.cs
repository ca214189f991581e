using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.DataGenerator.Loading;

/// <summary>
/// Loads a generated data set through the real paths only: FHIR NDJSON through <c>AdminService.Import</c>
/// (chunked: each chunk is one all-or-nothing import, its streamed progress shown), grants through
/// <c>ApplyChanges</c> (at most 500 changes a call), clients through <c>PutClientRegistration</c>,
/// organizations' patients through <c>ChangeOrganizationPatients</c>, and a share of the consents
/// through <c>PutConsent</c> (the rest imported). Writes load-report.json beside the data.
/// </summary>
public sealed class DataSetLoader(AdminService.AdminServiceClient admin, string folder, TextWriter log)
{
    /// <summary>An import chunk: at most this many bytes of NDJSON (the server takes 64 MiB) …</summary>
    public int ChunkBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>… and at most this many resources (each touched grain reloads before "done").</summary>
    public int ChunkResources { get; init; } = 2_000;

    /// <summary>
    /// Lists per import. Smaller than <see cref="ChunkResources"/>: the panel import writes its grants
    /// through one EF Core context per import, and every row it added stays tracked until the import
    /// ends, so each further List's SaveChanges scans more (200 Lists, 40,000 grants, in one import took
    /// 305 s on the loaded machine; docs/benchmarks.md, issue 15 load). Short imports keep that small.
    /// </summary>
    public int ChunkPanels { get; init; } = 20;

    /// <summary>Every n-th consent goes through PutConsent instead of Import.</summary>
    public int PutConsentEvery { get; init; } = 50;

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);
    private readonly List<LoadPhase> _phases = [];

    public async Task<IReadOnlyList<LoadPhase>> LoadAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        await ImportAsync("practitioner roles", "fhir/practitioner-roles.ndjson", _ => true, cancellationToken);
        await ImportAsync("panels (List)", "fhir/panels.ndjson", _ => true, cancellationToken, ChunkPanels);
        await ImportAsync("wards (Group)", "fhir/groups.ndjson", _ => true, cancellationToken);
        await ImportAsync("care teams", "fhir/careteams.ndjson", _ => true, cancellationToken);
        await EachLineAsync<ChangeOrganizationPatientsRequest>("organization patients", "admin/organization-patients.ndjson", 1,
            async r => { await admin.ChangeOrganizationPatientsAsync(r, cancellationToken: cancellationToken); return r.Upsert.Count; }, cancellationToken);
        await EachLineAsync<PutClientRegistrationRequest>("client registrations", "admin/clients.ndjson", 4,
            async r => { await admin.PutClientRegistrationAsync(r, cancellationToken: cancellationToken); return 1; }, cancellationToken);
        await EachLineAsync<ApplyChangesRequest>("grants (ApplyChanges)", "admin/grant-batches.ndjson", 1,
            async r => { await admin.ApplyChangesAsync(r, cancellationToken: cancellationToken); return r.Changes.Count; }, cancellationToken);
        await ImportAsync("consents (Import)", "fhir/consents.ndjson", index => index % PutConsentEvery != 0, cancellationToken);
        await PutConsentsAsync(cancellationToken);
        log.WriteLine($"[load] all loaded in {total.Elapsed.TotalSeconds:F1} s");
        WriteReport(total.Elapsed.TotalSeconds);
        return _phases;
    }

    /// <summary>Imports the lines of one NDJSON file for which <paramref name="take"/> holds, in chunks.</summary>
    private async Task ImportAsync(string name, string path, Func<long, bool> take, CancellationToken cancellationToken, int? chunkResources = null)
    {
        var perChunk = chunkResources ?? ChunkResources;
        var clock = Stopwatch.StartNew();
        long resources = 0, calls = 0, index = 0;
        var chunk = new StringBuilder();
        var inChunk = 0;
        async Task FlushAsync()
        {
            if (inChunk == 0)
            {
                return;
            }
            using var call = admin.Import(new ImportRequest { Format = "ndjson", Content = chunk.ToString(), Reason = "issue 15 data set" },
                deadline: DateTime.UtcNow.AddMinutes(30), cancellationToken: cancellationToken);
            var done = false;
            await foreach (var progress in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                done |= progress.Stage == "done";
            }
            if (!done)
            {
                throw new InvalidOperationException($"import of {path} ended without 'done'");
            }
            resources += inChunk;
            calls++;
            log.WriteLine($"[load] {name}: {resources:N0} resources in {calls} imports, {clock.Elapsed.TotalSeconds:F1} s ({resources / clock.Elapsed.TotalSeconds:F0}/s)");
            chunk.Clear();
            inChunk = 0;
        }
        foreach (var line in File.ReadLines(Path.Combine(folder, path)))
        {
            if (!take(index++))
            {
                continue;
            }
            if (inChunk > 0 && (chunk.Length + line.Length > ChunkBytes || inChunk >= perChunk))
            {
                await FlushAsync();
            }
            chunk.Append(line).Append('\n');
            inChunk++;
        }
        await FlushAsync();
        _phases.Add(new LoadPhase(name, path, resources, calls, clock.Elapsed.TotalSeconds));
    }

    private async Task EachLineAsync<T>(string name, string path, int parallel, Func<T, Task<int>> send, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        var clock = Stopwatch.StartNew();
        long items = 0, calls = 0;
        var lastShown = 0.0;
        await Parallel.ForEachAsync(File.ReadLines(Path.Combine(folder, path)),
            new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (line, _) =>
            {
                var count = await send(Parser.Parse<T>(line));
                Interlocked.Add(ref items, count);
                Interlocked.Increment(ref calls);
                var now = clock.Elapsed.TotalSeconds;
                if (now - lastShown > 2)
                {
                    lastShown = now;
                    log.WriteLine($"[load] {name}: {Interlocked.Read(ref items):N0} in {Interlocked.Read(ref calls)} calls, {now:F1} s");
                }
            });
        log.WriteLine($"[load] {name}: {items:N0} in {calls} calls, {clock.Elapsed.TotalSeconds:F1} s ({items / clock.Elapsed.TotalSeconds:F0}/s)");
        _phases.Add(new LoadPhase(name, path, items, calls, clock.Elapsed.TotalSeconds));
    }

    private async Task PutConsentsAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long index = 0, calls = 0;
        var selected = File.ReadLines(Path.Combine(folder, "fhir/consents.ndjson")).Where(_ => index++ % PutConsentEvery == 0);
        await Parallel.ForEachAsync(selected, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (json, _) =>
        {
            using var document = JsonDocument.Parse(json);
            var id = document.RootElement.GetProperty("id").GetString()!;
            await admin.PutConsentAsync(new PutConsentRequest { ConsentId = id, ConsentJson = json, Reason = "issue 15 data set" }, cancellationToken: cancellationToken);
            Interlocked.Increment(ref calls);
        });
        log.WriteLine($"[load] consents (PutConsent): {calls:N0} in {clock.Elapsed.TotalSeconds:F1} s");
        _phases.Add(new LoadPhase("consents (PutConsent)", "fhir/consents.ndjson", calls, calls, clock.Elapsed.TotalSeconds));
    }

    private void WriteReport(double totalSeconds)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var patients = manifest.RootElement.GetProperty("patients").GetInt64();
        using var stream = File.Create(Path.Combine(folder, "load-report.json"));
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("patients", patients);
        w.WriteNumber("totalSeconds", Math.Round(totalSeconds, 2));
        w.WriteNumber("patientsPerSecond", Math.Round(patients / totalSeconds, 0));
        var imports = _phases.Where(p => p.Name is "panels (List)" or "wards (Group)" or "care teams" or "practitioner roles" or "consents (Import)").Sum(p => p.Seconds);
        w.WriteNumber("importSeconds", Math.Round(imports, 2));
        w.WriteStartArray("phases");
        foreach (var phase in _phases)
        {
            w.WriteStartObject();
            w.WriteString("name", phase.Name);
            w.WriteString("file", phase.Path);
            w.WriteNumber("items", phase.Items);
            w.WriteNumber("calls", phase.Calls);
            w.WriteNumber("seconds", Math.Round(phase.Seconds, 2));
            w.WriteNumber("itemsPerSecond", Math.Round(phase.ItemsPerSecond, 0));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        foreach (var phase in _phases)
        {
            log.WriteLine($"[load] {phase.Name,-24} {phase.Items,12:N0} items {phase.Calls,7:N0} calls {phase.Seconds,8:F1} s {phase.ItemsPerSecond,10:N0}/s");
        }
        log.WriteLine($"[load] {patients:N0} patients in {totalSeconds:F1} s: {patients / totalSeconds:N0} patients/s");
    }
}
