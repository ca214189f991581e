using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using PermissionLayer.Gateway.Configuration;

namespace PermissionLayer.Gateway.Tokens;

/// <summary>
/// The issuer's signing keys: fetched from its JWKS (configured, or discovered from the issuer's
/// <c>.well-known/smart-configuration</c>), cached, and fetched again when a token names a key id the
/// cache lacks (the issuer rotated its keys). Refetches are spaced so that tokens with made-up key
/// ids cannot make the gateway hammer the issuer.
/// </summary>
public sealed class JwksKeySource(GatewaySettings settings, IHttpClientFactory httpClients, TimeProvider time, ILogger<JwksKeySource> logger)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _fetch = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public const string HttpClientName = "jwks";

    /// <summary>The cached keys, fetched first if there are none yet or they are old.</summary>
    public async Task<IReadOnlyList<SecurityKey>> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_keys.Count == 0 || time.GetUtcNow() - _fetchedAt > MaxAge)
        {
            await RefreshAsync(force: true, cancellationToken);
        }
        return _keys;
    }

    /// <summary>Fetches the keys again (a token named a key id we do not have), unless that was done moments ago.</summary>
    public async Task<IReadOnlyList<SecurityKey>> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(force: false, cancellationToken);
        return _keys;
    }

    private async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        await _fetch.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            // Callers that queued behind a fetch use its keys rather than fetching again.
            if (now - _fetchedAt < (force ? TimeSpan.FromSeconds(1) : settings.Tokens.JwksRefetchInterval) && _fetchedAt > DateTimeOffset.MinValue)
            {
                return;
            }
            _fetchedAt = now;
            try
            {
                var client = httpClients.CreateClient(HttpClientName);
                var jwksUrl = settings.Tokens.JwksUrl ?? await DiscoverAsync(client, cancellationToken);
                var json = await client.GetStringAsync(jwksUrl, cancellationToken);
                var set = new JsonWebKeySet(json);
                var keys = set.GetSigningKeys();
                if (keys.Count > 0)
                {
                    _keys = [.. keys];
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or ArgumentException or InvalidOperationException or TaskCanceledException)
            {
                // Keep the keys we have: an issuer that is briefly down must not log everyone out.
                // With none, every token fails validation (401): closed.
                logger.LogWarning(e, "could not fetch the issuer's JWKS");
            }
        }
        finally
        {
            _fetch.Release();
        }
    }

    private async Task<Uri> DiscoverAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var issuer = settings.Tokens.Issuer.TrimEnd('/');
        var json = await client.GetStringAsync(issuer + "/.well-known/smart-configuration", cancellationToken);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("jwks_uri", out var jwks) && jwks.ValueKind == JsonValueKind.String
            && Uri.TryCreate(jwks.GetString(), UriKind.Absolute, out var uri))
        {
            return uri;
        }
        throw new InvalidOperationException("the issuer's smart-configuration names no jwks_uri");
    }
}
