namespace PermissionLayer.Core.Requests;

/// <summary>
/// The wire names of interactions (as plctl's JSON Lines and the docs spell them), so that every
/// edge of the system parses them the same way and rejects the same typos.
/// </summary>
public static class InteractionNames
{
    private static readonly Dictionary<string, Interaction> ByName = new(StringComparer.Ordinal)
    {
        ["read"] = Interaction.Read,
        ["vread"] = Interaction.VRead,
        ["history-instance"] = Interaction.HistoryInstance,
        ["history-type"] = Interaction.HistoryType,
        ["history-system"] = Interaction.HistorySystem,
        ["search-type"] = Interaction.SearchType,
        ["search-system"] = Interaction.SearchSystem,
        ["create"] = Interaction.Create,
        ["update"] = Interaction.Update,
        ["patch"] = Interaction.Patch,
        ["delete"] = Interaction.Delete,
        ["operation"] = Interaction.Operation,
    };

    private static readonly Dictionary<Interaction, string> ByValue = ByName.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>All accepted names, for error messages.</summary>
    public static IEnumerable<string> All => ByName.Keys;

    public static bool TryParse(string? name, out Interaction interaction) =>
        ByName.TryGetValue(name ?? "", out interaction);

    public static string ToName(this Interaction interaction) => ByValue[interaction];
}
