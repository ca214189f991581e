using System.Net;

namespace PermissionLayer.Server.Tests.Telemetry;

/// <summary>
/// Stands in for an OpenTelemetry collector on loopback (OTLP over HTTP/protobuf): keeps every body
/// posted to <c>/v1/traces</c> and <c>/v1/metrics</c> and answers an empty (valid) export response.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly LockedList<(string Path, byte[] Body)> _received = new();
    private readonly Task _serving;

    public OtlpReceiver(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public List<(string Path, byte[] Body)> Received => _received.Snapshot();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _received.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
