using System.Text.Json;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// The sizes of one generated hospital network. <see cref="Full"/> is issue 15's regional network;
/// <see cref="Quick"/> the same shape at 1/50 (a few minutes end to end on two cores). Panels are
/// log-normal (median <see cref="PanelMedian"/>, spread <see cref="PanelSigma"/>), capped at
/// <see cref="PanelCap"/>, plus <see cref="BigPanels"/>: the practitioners whose cold activation and
/// narrowing are measured (dr0, dr1, … in that order).
/// </summary>
public sealed record NetworkSize
{
    public required string Name { get; init; }
    public ulong Seed { get; init; } = 15;
    public required int Patients { get; init; }
    public required int Organizations { get; init; }
    public required int Practitioners { get; init; }
    public double PanelMedian { get; init; } = 150;
    public double PanelSigma { get; init; } = 1.0;
    public int PanelCap { get; init; } = 5_000;
    public required IReadOnlyList<int> BigPanels { get; init; }
    public required int Groups { get; init; }
    public int GroupSize { get; init; } = 500;
    public required int CareTeams { get; init; }
    public required int Clients { get; init; }
    public required int Consents { get; init; }
    /// <summary>Share of practitioners with a grant to their whole organization's patients.</summary>
    public double OrganizationGrantShare { get; init; } = 0.02;
    /// <summary>Lines of the request mix (each one Check or one CheckBatch).</summary>
    public required int MixRequests { get; init; }
    /// <summary>Requesters described in facts-summary.json.</summary>
    public int SummaryRequesters { get; init; } = 40;

    public int PatientsPerOrganization => Patients / Organizations;

    public static NetworkSize Full => new()
    {
        Name = "full", Patients = 1_000_000, Organizations = 200, Practitioners = 10_000,
        BigPanels = [50_000, 50_000, 50_000, 5_000, 5_000], Groups = 2_000, CareTeams = 20_000, Clients = 1_000,
        Consents = 100_000, MixRequests = 100_000,
    };

    /// <summary>1/50 of full; the big panels scaled down to fit 20,000 patients (15,000 and 5,000).</summary>
    public static NetworkSize Quick => new()
    {
        Name = "quick", Patients = 20_000, Organizations = 20, Practitioners = 200,
        BigPanels = [15_000, 5_000], Groups = 40, CareTeams = 400, Clients = 20, Consents = 2_000, MixRequests = 20_000,
        PanelCap = 1_000,
    };

    /// <summary>The size a data set was generated with, from its manifest.json.</summary>
    public static NetworkSize FromManifest(string folder)
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        return manifest.RootElement.GetProperty("size").Deserialize<NetworkSize>()
            ?? throw new InvalidDataException($"{folder}/manifest.json has no size");
    }

    public static NetworkSize Named(string name) => name switch
    {
        "quick" => Quick,
        "full" => Full,
        _ => throw new ArgumentException($"preset '{name}' is not quick or full"),
    };

    /// <summary>The same shape with every count scaled (e.g. 0.25 of full), big panels capped by the patients.</summary>
    public NetworkSize Scaled(double factor) => this with
    {
        Name = $"{Name}x{factor:0.###}",
        Patients = Math.Max(1_000, (int)(Patients * factor)),
        Organizations = Math.Max(2, (int)(Organizations * factor)),
        Practitioners = Math.Max(10, (int)(Practitioners * factor)),
        BigPanels = [.. BigPanels.Select(b => Math.Min(b, (int)(Patients * factor * 0.8)))],
        Groups = Math.Max(2, (int)(Groups * factor)),
        CareTeams = Math.Max(10, (int)(CareTeams * factor)),
        Clients = Math.Max(5, (int)(Clients * factor)),
        Consents = Math.Max(10, (int)(Consents * factor)),
    };
}
