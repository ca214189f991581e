using System.Text.Json;
using Google.Protobuf;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.DataGenerator.Probes;

/// <summary>
/// requests.ndjson read back: each line a Check or a CheckBatch with its label. Shared by the probes'
/// background load and the load generator's <c>--mix</c>.
/// </summary>
public sealed class MixFile
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public sealed record Entry(string Label, CheckRequest? Check, CheckBatchRequest? Batch)
    {
        public async Task<IReadOnlyList<CheckResponse>> SendAsync(DecisionService.DecisionServiceClient client)
        {
            if (Check is not null)
            {
                return [await client.CheckAsync(Check)];
            }
            var answer = await client.CheckBatchAsync(Batch!);
            return [.. answer.Results.Select(r => r.Decision ?? new CheckResponse { Outcome = Outcome.Deny })];
        }

        public int Decisions => Check is not null ? 1 : Batch!.Entries.Count;
    }

    public MixFile(string path, int limit = int.MaxValue)
    {
        var entries = new List<Entry>();
        foreach (var line in File.ReadLines(path).Take(limit))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var request = root.GetProperty("request").GetRawText();
            var label = root.GetProperty("label").GetString()!;
            entries.Add(root.GetProperty("kind").GetString() == "batch"
                ? new Entry(label, null, Parser.Parse<CheckBatchRequest>(request))
                : new Entry(label, Parser.Parse<CheckRequest>(request), null));
        }
        Entries = entries;
    }

    public IReadOnlyList<Entry> Entries { get; }
}
