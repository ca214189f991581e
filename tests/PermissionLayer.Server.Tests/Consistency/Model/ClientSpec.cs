namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>A client app. <see cref="Status"/> null: never registered (bounded by its grants alone).</summary>
internal sealed record ClientSpec(string Id, string? Status, string Ceiling)
{
    public string Principal => $"Client/{Id}";

    public override string ToString() => Status is null ? $"{Principal}: not registered" : $"{Principal}: {Status}, ceiling \"{Ceiling}\"";
}
