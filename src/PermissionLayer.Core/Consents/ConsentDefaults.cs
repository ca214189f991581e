namespace PermissionLayer.Core.Consents;

/// <summary>
/// Deployment defaults: the policy rule for consents that state none (and for patients with no active
/// consent), and the purpose of use assumed when a request states none.
/// </summary>
public sealed record ConsentDefaults(ConsentPolicyRule PolicyRule, string PurposeOfUse)
{
    public static readonly ConsentDefaults Standard = new(ConsentPolicyRule.OptIn, "TREAT");
}
