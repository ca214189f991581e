using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Gateway.Tokens;

/// <summary>What validating the bearer token gave: a token context, or the refusal to send (401 or 403).</summary>
public sealed record TokenOutcome(TokenContext? Context, int Status, string Error, string Description)
{
    public static TokenOutcome Valid(TokenContext context) => new(context, 200, "", "");

    /// <summary>401: no token, or one that does not validate (RFC 6750 <c>invalid_token</c>).</summary>
    public static TokenOutcome Invalid(string description) => new(null, 401, "invalid_token", description);

    /// <summary>403: the token validates but grants nothing the gateway can decide on (RFC 6750 <c>insufficient_scope</c>).</summary>
    public static TokenOutcome InsufficientScope(string description) => new(null, 403, "insufficient_scope", description);

    public bool IsValid => Context is not null;
}
