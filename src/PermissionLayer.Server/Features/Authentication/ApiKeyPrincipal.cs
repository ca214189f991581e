using System.Security.Claims;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// The one mapping from a validated API key to the caller the services authorize: its name, id and
/// roles. The gRPC/JSON API (bearer header) and the console (signed-in session) both use it, so a
/// key means the same roles wherever it is presented.
/// </summary>
public static class ApiKeyPrincipal
{
    public const string KeyIdClaim = "key_id";

    public static ClaimsPrincipal Of(ApiKeyRow row, string scheme, params Claim[] extra)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, row.Name), new(KeyIdClaim, row.Id) };
        claims.AddRange(row.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(extra);
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
