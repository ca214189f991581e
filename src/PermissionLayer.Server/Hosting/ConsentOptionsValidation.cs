using PermissionLayer.Core.Consents;

namespace PermissionLayer.Server.Hosting;

internal static class ConsentOptionsValidation
{
    public static void Validate(ConsentOptions options, List<string> errors)
    {
        const string p = $"{PermissionLayerOptions.Section}:Consent";
        if (!ConsentPolicyRules.TryParse(options.DefaultPolicyRule, out _))
        {
            errors.Add($"{p}:DefaultPolicyRule must be 'OPTIN' or 'OPTOUT', not '{options.DefaultPolicyRule}'");
        }
        var purpose = options.DefaultPurposeOfUse ?? "";
        if (purpose.Length == 0 || !purpose.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
        {
            errors.Add($"{p}:DefaultPurposeOfUse must be a v3 PurposeOfUse code such as TREAT, not '{purpose}'");
        }
        else if (purpose is "BTG" or "ETREAT")
        {
            // Emergency access must be asked for, with a reason, by the user: never a default.
            errors.Add($"{p}:DefaultPurposeOfUse must not be a break-the-glass purpose ('{purpose}')");
        }
    }

    public static ConsentDefaults ToDefaults(this ConsentOptions options)
    {
        ConsentPolicyRules.TryParse(options.DefaultPolicyRule, out var rule);
        return new ConsentDefaults(rule, options.DefaultPurposeOfUse);
    }
}
