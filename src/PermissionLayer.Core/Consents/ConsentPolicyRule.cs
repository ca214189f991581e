namespace PermissionLayer.Core.Consents;

/// <summary>
/// The base stance of a consent (<c>Consent.policyRule</c>, CONSENT.md): OPTIN permits unless a
/// provision denies; OPTOUT denies unless a provision permits.
/// </summary>
public enum ConsentPolicyRule
{
    OptIn,
    OptOut,
}

public static class ConsentPolicyRules
{
    public const string System = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    public static bool TryParse(string? code, out ConsentPolicyRule rule)
    {
        rule = code == "OPTOUT" ? ConsentPolicyRule.OptOut : ConsentPolicyRule.OptIn;
        return code is "OPTIN" or "OPTOUT";
    }

    public static ProvisionType Base(this ConsentPolicyRule rule) =>
        rule == ConsentPolicyRule.OptIn ? ProvisionType.Permit : ProvisionType.Deny;

    public static string ToCode(this ConsentPolicyRule rule) => rule == ConsentPolicyRule.OptIn ? "OPTIN" : "OPTOUT";
}
