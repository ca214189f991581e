using System.Net;
using System.Security.Claims;
using Grpc.Core;
using Grpc.Net.Client;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Hosting;

namespace PermissionLayer.Server.Features.Console;

/// <summary>
/// The console asks the service through its own gRPC API, on this node's gRPC port, with the
/// signed-in key: every page reads and writes exactly as plctl does (the same validation, role
/// checks, actor and reason recording), and there is no second implementation of any of it.
/// </summary>
public sealed class ConsoleApi : IDisposable
{
    private readonly GrpcChannel _channel;

    public ConsoleApi(PermissionLayerOptions options)
    {
        var bind = IPAddress.Parse(options.Endpoints.BindAddress);
        // A wildcard bind is reached on loopback.
        var address = bind.Equals(IPAddress.Any) ? IPAddress.Loopback : bind.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : bind;
        _channel = GrpcChannel.ForAddress($"http://{new IPEndPoint(address, options.Endpoints.GrpcPort)}");
        Audit = new AuditService.AuditServiceClient(_channel);
        Admin = new AdminService.AdminServiceClient(_channel);
    }

    public AuditService.AuditServiceClient Audit { get; }
    public AdminService.AdminServiceClient Admin { get; }

    /// <summary>The call options that carry the signed-in user's key (from the encrypted session, never the request).</summary>
    public static CallOptions As(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        new(new Metadata { { "authorization", $"Bearer {user.FindFirstValue(ConsoleAuthentication.ApiKeyClaim)}" } },
            deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);

    /// <summary>Reads a server stream to a list.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(AsyncServerStreamingCall<T> call, CancellationToken cancellationToken)
    {
        using (call)
        {
            var items = new List<T>();
            await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                items.Add(item);
            }
            return items;
        }
    }

    public void Dispose() => _channel.Dispose();
}
