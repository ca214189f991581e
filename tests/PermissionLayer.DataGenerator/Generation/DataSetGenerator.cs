using System.Diagnostics;
using System.Text.Json;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// Writes one data set into a folder: FHIR NDJSON under <c>fhir/</c>, admin API JSON lines under
/// <c>admin/</c>, the request mix, facts-summary.json and manifest.json (sizes, files, line counts, the
/// measured practitioners). Same size and seed, same bytes.
/// </summary>
public static class DataSetGenerator
{
    public static void Generate(NetworkSize size, string folder, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        var network = new HospitalNetwork(size);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        void Write(string name, Action<NdjsonFile> fill)
        {
            using var file = new NdjsonFile(Path.Combine(folder, name));
            fill(file);
            counts[name] = file.Lines;
            log.WriteLine($"[generate] {name}: {file.Lines:N0} lines ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        Write("fhir/practitioner-roles.ndjson", f =>
        {
            for (var k = 0; k < size.Practitioners; k++)
            {
                f.Line(w => FhirResources.PractitionerRole(w, network, k));
            }
        });
        Write("fhir/panels.ndjson", f =>
        {
            for (var k = 0; k < size.Practitioners; k++)
            {
                f.Line(w => FhirResources.Panel(w, network, k));
            }
        });
        Write("fhir/groups.ndjson", f =>
        {
            for (var g = 0; g < size.Groups; g++)
            {
                f.Line(w => FhirResources.Group(w, network, g));
            }
        });
        Write("fhir/careteams.ndjson", f =>
        {
            for (var c = 0; c < size.CareTeams; c++)
            {
                var team = network.CareTeam(c);
                f.Line(w => FhirResources.CareTeam(w, c, team));
            }
        });
        Write("fhir/consents.ndjson", f =>
        {
            for (var c = 0; c < size.Consents; c++)
            {
                var shape = ConsentShape.Of(network, c);
                f.Line(w => ConsentResources.Write(w, shape));
            }
        });
        Write("admin/organization-patients.ndjson", f =>
        {
            for (var o = 0; o < size.Organizations; o++)
            {
                f.Raw(AdminRequests.Json(AdminRequests.OrganizationPatients(network, o)));
            }
        });
        Write("admin/clients.ndjson", f =>
        {
            for (var a = 0; a < size.Clients; a++)
            {
                f.Raw(AdminRequests.Json(AdminRequests.Client(network.Client(a))));
            }
        });
        Write("admin/grant-batches.ndjson", f =>
        {
            foreach (var batch in AdminRequests.GrantBatches(network))
            {
                f.Raw(AdminRequests.Json(batch));
            }
        });
        var mix = new RequestMix(network);
        Write("requests.ndjson", f =>
        {
            foreach (var line in mix.Lines())
            {
                f.Raw(line);
            }
        });
        FactsSummary.Write(Path.Combine(folder, "facts-summary.json"), network, mix);
        log.WriteLine($"[generate] facts-summary.json ({clock.Elapsed.TotalSeconds:F1} s)");
        WriteManifest(Path.Combine(folder, "manifest.json"), network, counts);
        log.WriteLine($"[generate] done: {folder} in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static void WriteManifest(string path, HospitalNetwork network, SortedDictionary<string, long> counts)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var size = network.Size;
        w.WriteStartObject();
        w.WriteString("preset", size.Name);
        w.WriteNumber("seed", size.Seed);
        w.WriteNumber("patients", size.Patients);
        w.WriteNumber("organizations", size.Organizations);
        w.WriteNumber("practitioners", size.Practitioners);
        w.WriteNumber("groups", size.Groups);
        w.WriteNumber("careTeams", size.CareTeams);
        w.WriteNumber("clients", size.Clients);
        w.WriteNumber("consents", size.Consents);
        // The whole size, so that the probes rebuild the same network (NetworkSize.FromManifest).
        w.WritePropertyName("size");
        JsonSerializer.Serialize(w, size);
        long panelEntries = 0;
        for (var k = 0; k < size.Practitioners; k++)
        {
            panelEntries += network.PanelSize(k);
        }
        long memberships = 0;
        for (var g = 0; g < size.Groups; g++)
        {
            memberships += network.Group(g).Members.Count;
        }
        long participants = 0;
        for (var c = 0; c < size.CareTeams; c++)
        {
            participants += network.CareTeam(c).Participants.Count;
        }
        var grants = AdminRequests.Grants(network).LongCount();
        // Relationships held in memory: panel grants, admin grants, group and organization memberships, care-team participants.
        w.WriteStartObject("relationships");
        w.WriteNumber("panelGrants", panelEntries);
        w.WriteNumber("adminGrants", grants);
        w.WriteNumber("groupMemberships", memberships);
        w.WriteNumber("organizationMemberships", (long)size.PatientsPerOrganization * size.Organizations);
        w.WriteNumber("careTeamParticipants", participants);
        w.WriteNumber("total", panelEntries + grants + memberships + (long)size.PatientsPerOrganization * size.Organizations + participants);
        w.WriteEndObject();
        w.WriteStartArray("bigPanels");
        for (var k = 0; k < size.BigPanels.Count; k++)
        {
            w.WriteStartObject();
            w.WriteString("practitioner", $"Practitioner/{HospitalNetwork.PractitionerId(k)}");
            w.WriteNumber("patients", size.BigPanels[k]);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("files");
        foreach (var (name, lines) in counts)
        {
            w.WriteNumber(name, lines);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
