using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Labels;

/// <summary>
/// Sensitivity categories (HL7 v3 ActCode "InformationSensitivityPolicy" codes) that need an explicit
/// grant. Labels of other systems (integrity, a deployment's own) do not restrict who may see data and
/// are ignored here; consent provisions may still name them. ActCode handling caveats are ignored too
/// (<see cref="HandlingCaveat"/>); any other ActCode label is read as a category no grant lists.
/// </summary>
public static class SensitivityCategory
{
    public const string System = CodeSystemAliases.ActCode;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "ETH", "GDIS", "HIV", "MST", "SCA", "SDV", "SEX", "SPI", "BH", "COGN", "DVD", "EMOTDIS", "IDS",
        "PSY", "PSYTHPN", "SICKLE", "SOC", "SUD", "STD", "TBOO", "DEMO", "DOB", "GENDER", "LIVARG", "MARST",
        "RACE", "REL", "B", "EMPL", "LOCIS", "SSP", "ADOL", "CEL", "DIA", "DRGIS", "EMP", "PDS", "PHY", "PRS",
        "COMPT", "ACOCOMPT", "CTCOMPT", "FMCOMPT", "HRCOMPT", "LRCOMPT", "PACOMPT", "RESCOMPT", "RMGTCOMPT",
    };

    public static IReadOnlySet<string> Codes => Known;

    public static bool IsCode(string code) => Known.Contains(code);

    /// <summary>
    /// Whether a label is a known category, in the ActCode system (any spelling) or as a bare code:
    /// reading a bare "HIV" as harmless would fail open.
    /// </summary>
    public static bool IsLabel(Token label) =>
        Known.Contains(label.Code) && (CodeSystemAliases.HasNoSystem(label) || CodeSystemAliases.IsIn(label, System));

    /// <summary>
    /// The category a grant must list for the user to see data with this label, or null when the label
    /// restricts nobody. An ActCode code that is neither a known category nor a handling caveat is its
    /// own category: grants accept only known categories, so nothing clears it but break-the-glass.
    /// </summary>
    public static string? Required(Token label) =>
        IsLabel(label) || (CodeSystemAliases.IsIn(label, System) && !HandlingCaveat.IsCode(label.Code)) ? label.Code : null;
}
