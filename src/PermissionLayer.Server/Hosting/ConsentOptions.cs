namespace PermissionLayer.Server.Hosting;

/// <summary>Consent and purpose-of-use defaults (<c>PermissionLayer:Consent</c>).</summary>
public sealed class ConsentOptions
{
    /// <summary>
    /// <c>OPTIN</c> (default: permit unless a provision denies) or <c>OPTOUT</c> (deny unless a provision
    /// permits), for consents that state no policyRule and for patients with no active consent.
    /// </summary>
    public string DefaultPolicyRule { get; set; } = "OPTIN";

    /// <summary>The purpose of use assumed when a request states none (default <c>TREAT</c>).</summary>
    public string DefaultPurposeOfUse { get; set; } = "TREAT";
}
