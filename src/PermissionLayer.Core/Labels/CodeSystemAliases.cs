using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Labels;

/// <summary>
/// The HL7 v3 code systems the decision reads, and the other valid ways they are written: the FHIR
/// DSTU2/STU3 URLs (<c>http://hl7.org/fhir/v3/…</c>) and the OIDs. A label or code is compared by
/// its canonical system, so a consent written with one spelling applies to data written with another.
/// </summary>
public static class CodeSystemAliases
{
    public const string Confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private static readonly Dictionary<string, string[]> SpellingsByCanonical = new(StringComparer.Ordinal)
    {
        [Confidentiality] = [Confidentiality, "http://hl7.org/fhir/v3/Confidentiality", "urn:oid:2.16.840.1.113883.5.25"],
        [ActCode] = [ActCode, "http://hl7.org/fhir/v3/ActCode", "urn:oid:2.16.840.1.113883.5.4"],
        [ActReason] = [ActReason, "http://hl7.org/fhir/v3/ActReason", "urn:oid:2.16.840.1.113883.5.8"],
    };

    private static readonly Dictionary<string, string> CanonicalBySpelling =
        SpellingsByCanonical.SelectMany(s => s.Value.Select(alias => (alias, s.Key))).ToDictionary(p => p.alias, p => p.Key, StringComparer.Ordinal);

    /// <summary>
    /// The canonical spelling of a system; null when there is none (absent or empty: the system is
    /// unknown). Systems without aliases are returned as they are.
    /// </summary>
    public static string? Canonical(string? system) =>
        string.IsNullOrEmpty(system) ? null : CanonicalBySpelling.GetValueOrDefault(system, system);

    /// <summary>Whether a token states no system, so that its code may belong to any.</summary>
    public static bool HasNoSystem(Token token) => string.IsNullOrEmpty(token.System);

    /// <summary>Whether a token's system is <paramref name="canonical"/>, in any of its spellings.</summary>
    public static bool IsIn(Token token, string canonical) => Canonical(token.System) == canonical;

    /// <summary>
    /// Every <c>system|code</c> a FHIR server may hold the token as, for a <c>_security:not</c> filter:
    /// each spelling of its system, and no system at all (an unsystemed code is read as possibly it).
    /// A token without a system is its bare code, which a token search matches in any system.
    /// </summary>
    public static IReadOnlyList<string> Spellings(Token token)
    {
        if (HasNoSystem(token))
        {
            return [token.Code];
        }
        var canonical = Canonical(token.System)!;
        var systems = SpellingsByCanonical.GetValueOrDefault(canonical, [canonical]);
        return [.. systems.Select(s => $"{s}|{token.Code}"), $"|{token.Code}"];
    }
}
