using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Consents;

/// <summary>Every shard of the consent registry is activated at start, before any search asks for it.</summary>
public sealed class ConsentRegistryWarmupTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Every_registry_shard_is_active_after_start_without_a_search()
    {
        var management = server.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool active;
        do
        {
            var statistics = await management.GetSimpleGrainStatistics();
            active = statistics.Where(s => s.GrainType.Contains("ConsentRegistryGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount)
                == ConsentRegistryShards.Count;
            if (!active)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        while (!active && DateTime.UtcNow < deadline);

        Assert.True(active, $"not all {ConsentRegistryShards.Count} ConsentRegistryGrain shards active after start");
    }
}
