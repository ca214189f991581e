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
    /// The spilled records. A line cut short by a crash during the spill is the last one; it is
    /// skipped, since its record was not yet known to be saved.
    /// </summary>
    public async Task<IReadOnlyList<AuditedDecision>> ReadAsync(CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(Path, cancellationToken);
        var records = new List<AuditedDecision>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                records.Add(JsonSerializer.Deserialize<AuditedDecision>(lines[i])!);
            }
            catch (JsonException) when (i == lines.Length - 1)
            {
            }
        }
        return records;
    }

    public void Delete() => File.Delete(Path);
}
