using Grpc.AspNetCore.Server.Model;

namespace PermissionLayer.Server.Hosting.Marshalling;

/// <summary>Registers <see cref="StrictRequestMethodProvider{TService}"/> in place of gRPC's own binder.</summary>
public static class StrictRequestParsing
{
    /// <summary>gRPC's provider binding generated services; its type is internal, so it is found by name.</summary>
    private const string GrpcBinderProvider = "BinderServiceMethodProvider`1";

    /// <summary>Call after <c>AddGrpc</c>. Fails the start if gRPC's binder is not where it is expected,
    /// rather than leaving a second, lenient binding of every method.</summary>
    public static IServiceCollection AddStrictRequestParsing(this IServiceCollection services)
    {
        var generated = services.SingleOrDefault(d =>
            d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name == GrpcBinderProvider)
            ?? throw new InvalidOperationException($"gRPC's {GrpcBinderProvider} is not registered; call AddGrpc first");
        services.Remove(generated);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(StrictRequestMethodProvider<>));
        return services;
    }
}
