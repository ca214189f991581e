using PermissionLayer.Testing.Server;

namespace PermissionLayer.Client.Tests.Support;

/// <summary>A loopback address where nothing listens: PermissionLayer is down.</summary>
internal static class DeadAddress
{
    public static Uri Next() => new($"http://127.0.0.1:{FreePorts.Next()}");
}
