using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Labels;

/// <summary>
/// HL7 v3 Confidentiality codes as an ordered scale U &lt; L &lt; M &lt; N &lt; R &lt; V. Data carries
/// the highest (its high-water mark); a user's clearance is a ceiling on that scale.
/// </summary>
public static class Confidentiality
{
    public const string System = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    /// <summary>Unlabelled data is normal: HL7's default when no confidentiality is stated.</summary>
    public const string Default = "N";

    private static readonly string[] Scale = ["U", "L", "M", "N", "R", "V"];

    public static IReadOnlyList<string> Codes => Scale;

    /// <summary>The rank of a code on the scale, or -1 when it is not a confidentiality code.</summary>
    public static int Rank(string code) => Array.IndexOf(Scale, code);

    public static bool IsCode(string code) => Rank(code) >= 0;

    /// <summary>
    /// Whether a label is a confidentiality label. A bare code (no system) counts when it is on the
    /// scale, because PEPs often send bare codes and reading "R" as anything else would fail open.
    /// </summary>
    public static bool IsLabel(Token label) =>
        IsCode(label.Code) && (label.System is null || label.System == System);

    /// <summary>The data's high-water mark: its highest confidentiality label, or N when it has none.</summary>
    public static string HighWaterMark(IEnumerable<Token> labels)
    {
        var rank = labels.Where(IsLabel).Select(l => Rank(l.Code)).DefaultIfEmpty(Rank(Default)).Max();
        return Scale[rank];
    }

    /// <summary>The codes above a ceiling, which a user with that clearance may not see.</summary>
    public static IEnumerable<string> Above(string ceiling) => Scale.Skip(Rank(ceiling) + 1);
}
