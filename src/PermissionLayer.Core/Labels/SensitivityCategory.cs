using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Labels;

/// <summary>
/// Sensitivity categories (HL7 v3 ActCode "InformationSensitivityPolicy" codes) that need an explicit
/// grant. Other security labels (integrity, handling caveats such as NOREUSE) do not restrict who may
/// see data and are ignored here; consent provisions may still name them.
/// </summary>
public static class SensitivityCategory
{
    public const string System = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "ETH", "GDIS", "HIV", "MST", "SCA", "SDV", "SEX", "SPI", "BH", "COGN", "DVD", "EMOTDIS", "IDS",
        "PSY", "PSYTHPN", "SICKLE", "SOC", "SUD", "STD", "TBOO", "DEMO", "DOB", "GENDER", "LIVARG", "MARST",
        "RACE", "REL", "B", "EMPL", "LOCIS", "SSP", "ADOL", "CEL", "DIA", "DRGIS", "EMP", "PDS", "PHY", "PRS",
        "COMPT", "ACOCOMPT", "CTCOMPT", "FMCOMPT", "HRCOMPT", "LRCOMPT", "PACOMPT", "RESCOMPT", "RMGTCOMPT",
    };

    public static IReadOnlySet<string> Codes => Known;

    public static bool IsCode(string code) => Known.Contains(code);

    /// <summary>A bare code counts when it is a known category: reading it as harmless would fail open.</summary>
    public static bool IsLabel(Token label) =>
        Known.Contains(label.Code) && (label.System is null || label.System == System);
}
