using System.Net.Http.Headers;
using System.Text;
using PermissionLayer.Gateway.Configuration;
using PermissionLayer.Gateway.Fhir;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace PermissionLayer.Gateway.Upstream;

/// <summary>
/// Talks to the upstream FHIR server through YARP's forwarder HTTP client (pooled connections, no
/// redirects, cookies or automatic decompression). An upstream that cannot be reached, times out or
/// answers 5xx is <see cref="GatewayRefusal.Unavailable"/> (503): never data, never a guess.
/// </summary>
public sealed class UpstreamClient : IDisposable
{
    private readonly GatewaySettings _settings;
    private readonly HttpMessageInvoker _invoker;
    private readonly string _base;

    public UpstreamClient(GatewaySettings settings, IForwarderHttpClientFactory factory)
    {
        _settings = settings;
        _invoker = factory.CreateClient(new ForwarderHttpClientContext { NewConfig = HttpClientConfig.Empty });
        _base = settings.UpstreamBaseUrl.ToString();
    }

    public string BaseUrl => _base;

    public Task<UpstreamResponse> GetAsync(string relative, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, relative, null, null, null, cancellationToken);

    /// <summary>Sends <paramref name="relative"/> (a path and query under the upstream base).</summary>
    public async Task<UpstreamResponse> SendAsync(
        HttpMethod method, string relative, string? body, string? contentType, IReadOnlyDictionary<string, string>? headers,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _base + relative.TrimStart('/'));
        request.Version = System.Net.HttpVersion.Version11;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson.ContentType));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? FhirJson.ContentType);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.UpstreamTimeout);
        try
        {
            using var response = await _invoker.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                throw GatewayRefusal.Unavailable($"the FHIR server answered {status}; nothing was served");
            }
            return new UpstreamResponse(
                status, text, response.Content.Headers.ContentType?.MediaType, response.Headers.ETag?.ToString(),
                response.Content.Headers.LastModified?.ToString("R"), response.Headers.Location?.ToString());
        }
        catch (HttpRequestException e)
        {
            throw GatewayRefusal.Unavailable($"the FHIR server cannot be reached ({e.HttpRequestError}); nothing was served");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw GatewayRefusal.Unavailable("the FHIR server did not answer in time; nothing was served");
        }
    }

    /// <summary>
    /// An upstream URL (a paging link) as a path and query under the upstream base, or null when it
    /// points elsewhere: the gateway follows links only into the server it guards.
    /// </summary>
    public string? RelativeOf(string? url)
    {
        if (url is null)
        {
            return null;
        }
        return url.StartsWith(_base, StringComparison.Ordinal) ? url[_base.Length..] : null;
    }

    public void Dispose() => _invoker.Dispose();
}
