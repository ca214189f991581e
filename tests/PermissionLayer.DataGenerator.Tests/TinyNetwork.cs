using PermissionLayer.DataGenerator.Generation;

namespace PermissionLayer.DataGenerator.Tests;

/// <summary>A network small enough to generate in a test, with every kind of fact in it.</summary>
internal static class TinyNetwork
{
    public static NetworkSize Size(ulong seed = 15) => new()
    {
        Name = "tiny", Seed = seed, Patients = 2_000, Organizations = 4, Practitioners = 40, BigPanels = [400, 100],
        Groups = 6, GroupSize = 50, CareTeams = 30, Clients = 6, Consents = 200, MixRequests = 300, PanelCap = 200,
        OrganizationGrantShare = 0.2, SummaryRequesters = 6,
    };

    public static string Generate(NetworkSize size)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"pl-datagen-{Guid.NewGuid():N}");
        DataSetGenerator.Generate(size, folder, TextWriter.Null);
        return folder;
    }
}
