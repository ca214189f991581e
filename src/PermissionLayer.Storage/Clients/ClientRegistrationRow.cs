namespace PermissionLayer.Storage.Clients;

/// <summary>A client application's registration as stored (one row per client_id).</summary>
public sealed class ClientRegistrationRow
{
    public required string ClientId { get; set; }
    public required string Name { get; set; }
    public required string Status { get; set; }
    public required string ScopeCeiling { get; set; }
    public long Revision { get; set; }
}
