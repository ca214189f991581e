using Grpc.Core;

namespace PermissionLayer.Server.Features.Authentication;

/// <summary>
/// A streaming call is authenticated once, when it starts, and may live for hours (a watch of
/// entitlement changes, an offline-sync feed, an export of a million audit rows). It ends when its
/// key is revoked — UNAUTHENTICATED, as any new call with that key is refused — and nothing is
/// written after: every write and every wait of the call runs on the token this gives it.
/// </summary>
public sealed class RevocableCalls(ApiKeyCache keys)
{
    public async Task RunAsync(ServerCallContext context, Func<CancellationToken, Task> call)
    {
        var keyId = CallerIdentity.KeyId(context);
        var revoked = keyId is null ? CancellationToken.None : keys.Revocation(keyId);
        using var live = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, revoked);
        try
        {
            await call(live.Token);
        }
        catch (Exception) when (revoked.IsCancellationRequested)
        {
            // Whatever the revocation interrupted, the call ends as revoked (below).
        }
        // A loop that stopped for the revocation between two waits ends the same way.
        if (revoked.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "the API key of this call was revoked: the stream ends"));
        }
    }
}
