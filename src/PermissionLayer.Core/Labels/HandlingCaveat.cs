namespace PermissionLayer.Core.Labels;

/// <summary>
/// ActCode security labels that are handling caveats rather than sensitivity: obligations (audit,
/// encrypt, keep the label, comply with a policy, delete after use) and refrains (no reuse,
/// redisclosure, integration, persistence or relinking) that bind what a recipient does with data it
/// may see, so they do not change who may see it. Any other ActCode label that is not a known
/// <see cref="SensitivityCategory"/> — a newer sensitivity code, a privacy law such as 42CFRPart2, or a
/// caveat that does restrict who sees (NOPAT, NOAUTH, NOVIP, MASK, REDACT, …) — is read as a category
/// no grant lists: reading it as harmless would fail open.
/// </summary>
public static class HandlingCaveat
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        // Obligation policies.
        "AOD", "AUDIT", "AUDTR", "CPLYCC", "CPLYCD", "CPLYJPP", "CPLYOPP", "CPLYOSP", "CPLYPOL", "DECLASSIFYLABEL",
        "DELAU", "DOWNGRDLABEL", "DRIVLABEL", "ENCRYPT", "ENCRYPTR", "ENCRYPTT", "ENCRYPTU", "LABEL", "PERSISTLABEL",
        "PRIVMARK", "UPGRDLABEL",
        // Refrain policies about what the recipient does next.
        "NOCOLLECT", "NOINTEGRATE", "NOPERSISTP", "NORDSCLCD", "NORDSCLCDS", "NORDSCLW", "NORELINK", "NOREUSE", "ORCON",
    };

    public static bool IsCode(string code) => Known.Contains(code);
}
