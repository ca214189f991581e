using System.Text.RegularExpressions;

namespace PermissionLayer.Core.Requests;

/// <summary>
/// The grammar a purpose of use must follow, in a token and in a grant's purposes: a code of HL7 v3
/// PurposeOfUse / ActReason (<c>TREAT</c>, <c>ETREAT</c>, <c>BTG</c>, <c>HPAYMT</c>, ...) — letters,
/// digits, <c>.</c>, <c>_</c>, <c>-</c>, at most 64 — or <c>system|code</c> with an absolute URI or
/// <c>urn:oid:</c> system of at most 200 characters. Anything else names no purpose a consent or a
/// grant could state, so it is rejected rather than compared.
/// </summary>
public static partial class PurposeOfUse
{
    public const int MaxCodeLength = 64;
    public const int MaxSystemLength = 200;

    public static bool IsValid(string value)
    {
        var bar = value.IndexOf('|');
        if (bar < 0)
        {
            return Code().IsMatch(value);
        }
        var system = value[..bar];
        return system.Length <= MaxSystemLength && System().IsMatch(system) && Code().IsMatch(value[(bar + 1)..]);
    }

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._\-]{0,63}\z")]
    private static partial Regex Code();

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9+.\-]*:[!-~]+\z")]
    private static partial Regex System();
}
