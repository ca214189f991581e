namespace PermissionLayer.Core.Decisions;

/// <summary>Emergency access in effect: the user's reason and purpose, and what it lifted.</summary>
public sealed record BreakGlass(string Reason, string Purpose, IReadOnlyList<string> Lifted)
{
    public static readonly IReadOnlySet<string> Purposes = new HashSet<string>(StringComparer.Ordinal) { "BTG", "ETREAT" };

    public string Notice => Lifted.Count == 0
        ? $"Break-the-glass access ({Purpose}): nothing was withheld from you this time, and the access is recorded for review."
        : $"Break-the-glass access ({Purpose}): the patient's consent or data sensitivity would have withheld this; the access is recorded for review.";

    /// <summary>Whether the token asks for break-the-glass: an emergency purpose and a reason.</summary>
    public static bool Asked(Requests.TokenContext token) =>
        token.PurposeOfUse is { } purpose && Purposes.Contains(purpose) && !string.IsNullOrWhiteSpace(token.BreakGlassReason);
}
