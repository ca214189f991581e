using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PermissionLayer.Client.Tests.Support;

namespace PermissionLayer.Client.Tests.Client;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void One_client_serves_the_whole_application_under_both_types()
    {
        var services = new ServiceCollection().AddPermissionLayerClient(o => o.Address = DeadAddress.Next());
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<PermissionLayerClient>();
        Assert.Same(client, provider.GetRequiredService<IPermissionLayerClient>());
        Assert.Same(client, provider.GetRequiredService<PermissionLayerClient>());
    }

    [Fact]
    public void Invalid_options_fail_on_resolution_naming_the_problem()
    {
        var services = new ServiceCollection().AddPermissionLayerClient(o => o.ApiKey = "has space");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IPermissionLayerClient>());
        Assert.Contains(error.Failures, f => f.Contains("Address"));
        Assert.Contains(error.Failures, f => f.Contains("ApiKey"));
    }
}
