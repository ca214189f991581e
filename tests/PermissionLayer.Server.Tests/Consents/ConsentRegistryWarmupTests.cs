using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>The consent registry is activated at start, before any search asks for it.</summary>
public sealed class ConsentRegistryWarmupTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_registry_is_active_after_start_without_a_search()
    {
        var management = server.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool active;
        do
        {
            var statistics = await management.GetSimpleGrainStatistics();
            active = statistics.Any(s => s.GrainType.Contains("ConsentRegistryGrain", StringComparison.Ordinal) && s.ActivationCount == 1);
            if (!active)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        while (!active && DateTime.UtcNow < deadline);

        Assert.True(active, "no ConsentRegistryGrain activation after start");
    }
}
