namespace PermissionLayer.ExampleSync;

/// <summary>
/// The device's copy of each patient's data: one folder per patient under the data directory. A real
/// app would fetch the patient's resources from the FHIR server here; the example writes a marker.
/// Purging deletes the folder: after LEFT nothing of the patient stays on the device.
/// </summary>
internal sealed class PatientData(string directory)
{
    public void Fetch(string patient)
    {
        var folder = Folder(patient);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Patient.json"), $$"""{"resourceType":"Patient","id":"{{patient}}"}""");
    }

    public void Purge(string patient)
    {
        var folder = Folder(patient);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every patient the device holds data of (to purge what a snapshot no longer admits).</summary>
    public IEnumerable<string> Held() =>
        Directory.Exists(directory) ? Directory.EnumerateDirectories(directory).Select(d => Uri.UnescapeDataString(Path.GetFileName(d))) : [];

    // Ids are escaped so that no id can name a path outside the data directory.
    private string Folder(string patient) => Path.Combine(directory, Uri.EscapeDataString(patient));
}
