using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Labels;

/// <summary>
/// HL7 v3 Confidentiality codes as an ordered scale U &lt; L &lt; M &lt; N &lt; R &lt; V. Data carries
/// the highest (its high-water mark); a user's clearance is a ceiling on that scale.
/// </summary>
public static class Confidentiality
{
    public const string System = CodeSystemAliases.Confidentiality;

    /// <summary>Unlabelled data is normal: HL7's default when no confidentiality is stated.</summary>
    public const string Default = "N";

    private static readonly string[] Scale = ["U", "L", "M", "N", "R", "V"];

    public static IReadOnlyList<string> Codes => Scale;

    /// <summary>The top of the scale: everything is within it.</summary>
    public static string Highest => Scale[^1];

    /// <summary>The rank of a code on the scale, or -1 when it is not a confidentiality code.</summary>
    public static int Rank(string code) => Array.IndexOf(Scale, code);

    public static bool IsCode(string code) => Rank(code) >= 0;

    /// <summary>
    /// Whether a label is a confidentiality label: any label in the confidentiality system (in any of
    /// its spellings), and a code on the scale with no system, because PEPs often send bare codes and
    /// reading "R" as anything else would fail open.
    /// </summary>
    public static bool IsLabel(Token label) =>
        CodeSystemAliases.IsIn(label, System) || (CodeSystemAliases.HasNoSystem(label) && IsCode(label.Code));

    /// <summary>
    /// Where a data label puts the data on the scale, or -1 for other labels. A code in the
    /// confidentiality system that is not on the scale (a typo, another case, a newer code) ranks
    /// highest: reading it as harmless would fail open.
    /// </summary>
    public static int Rank(Token label) =>
        !IsLabel(label) ? -1 : IsCode(label.Code) ? Rank(label.Code) : Scale.Length - 1;

    /// <summary>The data's high-water mark: its highest confidentiality label, or N when it has none.</summary>
    public static string HighWaterMark(IEnumerable<Token> labels)
    {
        var rank = labels.Select(Rank).Where(r => r >= 0).DefaultIfEmpty(Rank(Default)).Max();
        return Scale[rank];
    }

    /// <summary>The codes above a ceiling, which a user with that clearance may not see.</summary>
    public static IEnumerable<string> Above(string ceiling) => Scale.Skip(Rank(ceiling) + 1);
}
