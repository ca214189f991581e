using System.Text;
using System.Text.Json;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// A local file of decisions that were answered but whose audit rows could not be written before a
/// graceful shutdown ran out of time (the audit store was down). One JSON record per line, written
/// with fsync, so the records outlive the process; the next start replays them into the audit log
/// before it takes decisions, and then deletes the file.
/// </summary>
public sealed class AuditSpillFile(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public bool Exists => File.Exists(Path);

    /// <summary>Appends the records and forces them to disk before returning.</summary>
    public async Task AppendAsync(IReadOnlyCollection<AuditedDecision> records)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(JsonSerializer.Serialize(record)).Append('\n');
        }
        await using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.None);
        await file.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// The spilled records, and the lines that are not one (a line cut short by a crash during the
    /// spill, a file edited by hand): those are returned rather than thrown, so that one bad line
    /// neither stops the start nor hides the records after it.
    /// </summary>
    public async Task<SpillContents> ReadAsync(CancellationToken cancellationToken) =>
        Parse(await File.ReadAllLinesAsync(Path, cancellationToken));

    /// <summary>Records from lines of JSON (a spill file's, a write-ahead segment's); empty lines are skipped.</summary>
    internal static SpillContents Parse(IReadOnlyList<string> lines)
    {
        var records = new List<AuditedDecision>(lines.Count);
        var unreadable = new List<UnreadableSpillLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            try
            {
                records.Add(Whole(JsonSerializer.Deserialize<AuditedDecision>(lines[i]) ?? throw new JsonException("null record")));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
            {
                unreadable.Add(new UnreadableSpillLine(i + 1, lines[i], e.Message));
            }
        }
        return new SpillContents(records, unreadable);
    }

    /// <summary>
    /// A record whose members the row needs are all there: JSON may spell any of them <c>null</c>
    /// (another version's writer, a hand edit, a flipped byte), which "required" does not catch, and
    /// such a record would fail the replay — and so the start — instead of being quarantined.
    /// </summary>
    private static AuditedDecision Whole(AuditedDecision d)
    {
        string? missing = d switch
        {
            { Caller: null } => "Caller",
            { ClientId: null } => "ClientId",
            { Interaction: null } => "Interaction",
            { ResourceType: null } => "ResourceType",
            { Outcome: null } => "Outcome",
            { ReasonsJson: null } => "ReasonsJson",
            { Patients: null } => "Patients",
            { Consents: null } => "Consents",
            _ when d.Patients.Any(p => p is null) => "Patients[]",
            _ when d.Consents.Any(c => c is null) => "Consents[]",
            _ => null,
        };
        return missing is null ? d : throw new JsonException($"the record's {missing} is null");
    }

    public void Delete() => File.Delete(Path);
}
