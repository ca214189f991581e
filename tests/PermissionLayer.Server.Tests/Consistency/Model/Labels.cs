namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>The security labels the suite puts on data and in consent provisions, as <c>system|code</c>.</summary>
internal static class Labels
{
    public const string Confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    public const string Restricted = Confidentiality + "|R";
    public const string VeryRestricted = Confidentiality + "|V";
    public const string Hiv = ActCode + "|HIV";
    public const string Psy = ActCode + "|PSY";

    /// <summary>The labels the suite reads labelled Observations with (each its own request).</summary>
    public static readonly IReadOnlyList<string> OnData = [Restricted, VeryRestricted, Hiv];

    public static bool IsSensitivityCategory(string label) => label.StartsWith(ActCode + "|", StringComparison.Ordinal);

    public static string Code(string label) => label[(label.IndexOf('|') + 1)..];
}
