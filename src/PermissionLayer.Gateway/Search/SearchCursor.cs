using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace PermissionLayer.Gateway.Search;

/// <summary>
/// Where the next page of a search starts: the chunk of the upstream plan, the upstream page URL in
/// it, and how many of that page's matches earlier pages already returned. Signed (HMAC-SHA256) and
/// bound to the search it belongs to, so a client can neither aim the gateway at an upstream URL of
/// its choosing nor move a cursor to another search.
/// </summary>
public sealed record SearchCursor(int Chunk, string? UpstreamUrl, int Skip)
{
    public const string Parameter = "_gateway-page";

    public string Encode(byte[] key, string binding)
    {
        var payload = Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(new Wire(Chunk, UpstreamUrl, Skip)));
        return payload + "." + Sign(key, payload, binding);
    }

    /// <summary>The cursor, or null when it was not made by this gateway for this search.</summary>
    public static SearchCursor? Decode(string text, byte[] key, string binding)
    {
        var dot = text.IndexOf('.');
        if (dot <= 0)
        {
            return null;
        }
        var payload = text[..dot];
        var expected = Encoding.ASCII.GetBytes(Sign(key, payload, binding));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(text[(dot + 1)..])))
        {
            return null;
        }
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(Base64UrlEncoder.DecodeBytes(payload));
            return wire is null || wire.C < 0 || wire.S < 0 ? null : new SearchCursor(wire.C, wire.U, wire.S);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static string Sign(byte[] key, string payload, string binding) =>
        Base64UrlEncoder.Encode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload + "\n" + binding)));

    private sealed record Wire(int C, string? U, int S);
}
