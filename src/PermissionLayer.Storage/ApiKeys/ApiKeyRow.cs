namespace PermissionLayer.Storage.ApiKeys;

/// <summary>A caller's API key. Only a hash of the secret is stored; the key is shown once, at creation.</summary>
public sealed class ApiKeyRow
{
    /// <summary>The public part of the key, used to find the row.</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string[] Roles { get; set; } = [];
    /// <summary>SHA-256 of the secret part of the key.</summary>
    public required byte[] SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
