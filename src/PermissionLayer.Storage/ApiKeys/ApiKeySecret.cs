using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace PermissionLayer.Storage.ApiKeys;

/// <summary>
/// The key format <c>plk_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the row, the secret proves
/// possession. Secrets are 256 random bits, so a plain SHA-256 is enough to store them (a slow
/// password hash protects guessable secrets; these are not guessable) and keeps checks fast.
/// </summary>
public static class ApiKeySecret
{
    private const string Prefix = "plk_";

    public static (string Id, string Key, byte[] Hash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    public static bool TryParse(string? key, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        id = secret = null;
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var separator = key.IndexOf('_', Prefix.Length);
        if (separator <= Prefix.Length || separator == key.Length - 1)
        {
            return false;
        }
        id = key[Prefix.Length..separator];
        secret = key[(separator + 1)..];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time comparison, so response time says nothing about how much of a secret matched.</summary>
    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
