using System.Text.Json;

namespace PermissionLayer.ExampleSync;

/// <summary>
/// What the device keeps between runs, in one JSON file: the feed position (revision and context
/// digest) and the patients it holds. Written whole to a temporary file and renamed over the old
/// one, so a crash leaves either the old state or the new, never a mix — a position is never stored
/// ahead of the set it describes.
/// </summary>
internal sealed record DeviceState(long Revision, string ContextDigest, SortedSet<string> Patients)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static DeviceState Load(string path) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<DeviceState>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty")
            : new DeviceState(0, "", new SortedSet<string>(StringComparer.Ordinal));

    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
