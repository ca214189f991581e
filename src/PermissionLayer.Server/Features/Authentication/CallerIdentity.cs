using System.Security.Claims;
using Grpc.Core;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>Who is calling, as recorded in the change log and the audit: the key's name and id.</summary>
public static class CallerIdentity
{
    public static string Of(ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        var name = user.FindFirstValue(ClaimTypes.Name);
        var id = user.FindFirstValue("key_id");
        return name is null ? "anonymous" : $"key:{name}/{id}";
    }

    /// <summary>The id of the API key the call authenticated with; null when it used none.</summary>
    public static string? KeyId(ServerCallContext context) => context.GetHttpContext().User.FindFirstValue("key_id");
}
