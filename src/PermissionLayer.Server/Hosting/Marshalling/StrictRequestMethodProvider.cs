using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace PermissionLayer.Server.Hosting.Marshalling;

/// <summary>
/// Discovers a gRPC service's methods from its generated <c>BindService</c> (found through the
/// generated base class's <see cref="BindServiceMethodAttribute"/>) and binds them with strict request
/// marshallers. It takes the place of gRPC's own binder provider (<see cref="StrictRequestParsing"/>),
/// so every service — ours, health, reflection — is bound once, the same way.
/// </summary>
internal sealed class StrictRequestMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } bind)
            {
                continue;
            }
            var bindService = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static,
                    null, [typeof(ServiceBinderBase), type], null)
                ?? throw new InvalidOperationException($"{bind.BindType.Name}.{bind.BindMethodName}(ServiceBinderBase, {type.Name}) not found");
            bindService.Invoke(null, [new StrictRequestBinder<TService>(context, type), null]);
            return;
        }
        throw new InvalidOperationException($"{typeof(TService).Name} has no generated gRPC base class to bind");
    }
}
