using PermissionLayer.Core.Labels;

namespace PermissionLayer.Core.Requests;

/// <summary>
/// The purpose of use a token states: an HL7 v3 ActReason (PurposeOfUse) code, bare (<c>TREAT</c>) or
/// with its system (<c>http://terminology.hl7.org/CodeSystem/v3-ActReason|TREAT</c>, read as the bare
/// code), or a code of another system as <c>system|code</c>. Anything else (<c>hresch</c>,
/// <c>" HRESCH"</c>) is rejected: read as "some other purpose" it would skip a consent that denies it.
/// The same grammar holds for a grant's purposes (<see cref="IsValid"/>), so a grant can only state a
/// purpose a token can carry.
/// </summary>
public static class PurposeOfUse
{
    public const int MaxCodeLength = 64;
    public const int MaxSystemLength = 200;
    public const int MaxLength = MaxSystemLength + 1 + MaxCodeLength;

    /// <summary>
    /// Purposes whose place in the ActReason hierarchy is known here, with their ancestors: a consent
    /// denying research denies clinical-trial research. A code not listed may specialise any purpose,
    /// so a provision by purpose is only "maybe" for it (a deny counts, a permit does not).
    /// </summary>
    private static readonly Dictionary<string, string[]> Ancestors = new(StringComparer.Ordinal)
    {
        ["TREAT"] = [],
        ["ETREAT"] = ["TREAT"],
        ["BTG"] = ["ETREAT", "TREAT"],
        ["HPAYMT"] = [],
        ["HOPERAT"] = [],
        ["HMARKT"] = [],
        ["PUBHLTH"] = [],
        ["PATRQT"] = [],
        ["HRESCH"] = [],
        ["BIORCH"] = ["HRESCH"],
        ["CLINTRCH"] = ["HRESCH"],
        ["CLINTRCHNPC"] = ["CLINTRCH", "HRESCH"],
        ["CLINTRCHPC"] = ["CLINTRCH", "HRESCH"],
        ["PRECLINTRCH"] = ["CLINTRCH", "HRESCH"],
        ["DSRCH"] = ["HRESCH"],
        ["POARCH"] = ["HRESCH"],
        ["TRANRCH"] = ["HRESCH"],
    };

    /// <summary>The purpose in its canonical spelling (ActReason codes bare), or throws naming <paramref name="field"/>.</summary>
    public static string? Normalize(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length > MaxLength)
        {
            throw new RequestValidationException(field, $"is longer than {MaxLength} characters");
        }
        var bar = value.IndexOf('|');
        if (bar < 0)
        {
            return IsActReasonCode(value) ? value
                : throw new RequestValidationException(field,
                    $"'{Quote.Short(value)}' is not an ActReason purpose of use code (upper case, e.g. TREAT, HRESCH) nor system|code");
        }
        var system = value[..bar];
        var code = value[(bar + 1)..];
        if (CodeSystemAliases.Canonical(system) == CodeSystemAliases.ActReason)
        {
            return IsActReasonCode(code) ? code
                : throw new RequestValidationException(field, $"'{Quote.Short(code)}' is not an ActReason code (upper case, e.g. TREAT, HRESCH)");
        }
        var wellFormed = system.Contains(':') && system.Length <= MaxSystemLength && code.Length is > 0 and <= MaxCodeLength && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) && code.IndexOf('|') < 0;
        return wellFormed ? value
            : throw new RequestValidationException(field, $"'{Quote.Short(value)}' is not system|code with an absolute system URI and a code without spaces");
    }

    /// <summary>Whether <paramref name="value"/> is a purpose in a spelling <see cref="Normalize"/> accepts.</summary>
    public static bool IsValid(string value)
    {
        try
        {
            return Normalize(value, "purpose") is not null;
        }
        catch (RequestValidationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a request's purpose is one of <paramref name="purposes"/> (ActReason codes) or a
    /// specialisation of one: yes, no, or maybe (a purpose of another system, or an ActReason code
    /// whose ancestors are not known here).
    /// </summary>
    internal static Consents.Fit Within(string? purpose, IReadOnlySet<string> purposes)
    {
        var token = string.IsNullOrWhiteSpace(purpose) ? default : Token.Parse(purpose);
        if (string.IsNullOrEmpty(token.Code) || !(CodeSystemAliases.HasNoSystem(token) || CodeSystemAliases.IsIn(token, CodeSystemAliases.ActReason)))
        {
            return Consents.Fit.Maybe;
        }
        purpose = token.Code;
        if (purposes.Contains(purpose))
        {
            return Consents.Fit.Yes;
        }
        if (!Ancestors.TryGetValue(purpose, out var ancestors))
        {
            return Consents.Fit.Maybe;
        }
        return ancestors.Any(purposes.Contains) ? Consents.Fit.Yes : Consents.Fit.No;
    }

    private static bool IsActReasonCode(string code) =>
        code.Length is > 0 and <= MaxCodeLength && char.IsAsciiLetterUpper(code[0]) && code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
}
