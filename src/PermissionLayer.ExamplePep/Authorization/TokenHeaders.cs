using PermissionLayer.Contracts.V1;

namespace PermissionLayer.ExamplePep.Authorization;

/// <summary>
/// Reads the token context from request headers. PRETEND ONLY: a real FHIR server takes these values
/// from the access token it has validated (signature, issuer, audience, expiry) — <c>client_id</c>,
/// <c>fhirUser</c>, <c>scope</c>, <c>patient</c> — and never from headers a caller can set. The headers
/// keep this example free of an authorization server.
/// </summary>
public static class TokenHeaders
{
    public const string ClientId = "X-Client-Id";
    public const string FhirUser = "X-Fhir-User";
    public const string Scope = "X-Scope";
    public const string LaunchPatient = "X-Launch-Patient";

    /// <summary>The token context, or null when there is no (pretend) token at all.</summary>
    public static TokenContext? Read(IHeaderDictionary headers)
    {
        var clientId = headers[ClientId].ToString();
        if (clientId.Length == 0)
        {
            return null;
        }
        return new TokenContext
        {
            ClientId = clientId,
            FhirUser = headers[FhirUser].ToString(),
            Scope = headers[Scope].ToString(),
            LaunchPatient = headers[LaunchPatient].ToString(),
        };
    }
}
