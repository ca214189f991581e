using System.Collections.Concurrent;

namespace PermissionLayer.Client.Tests.Support;

/// <summary>
/// Passes every HTTP/2 request to real sockets and remembers it: one request per gRPC attempt, so
/// tests can count retries and see the headers that went out. Nothing is faked. It wraps an
/// <see cref="HttpClientHandler"/>, not a SocketsHttpHandler: with the latter gRPC would put its own
/// connection balancer in front, and attempts refused by it would never reach this handler.
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new HttpClientHandler())
{
    public ConcurrentQueue<HttpRequestMessage> Sent { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sent.Enqueue(request);
        return base.SendAsync(request, cancellationToken);
    }
}
