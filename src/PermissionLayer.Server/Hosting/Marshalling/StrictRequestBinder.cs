using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace PermissionLayer.Server.Hosting.Marshalling;

/// <summary>
/// Receives the generated <c>BindService(ServiceBinderBase, …)</c> calls of one service and adds each
/// method to gRPC's endpoint model with its request marshaller made strict
/// (<see cref="StrictRequestMarshaller"/>). The handler is the service's override of the generated
/// virtual method, so the service class is activated per call as gRPC does by default; the service's
/// and the method's attributes (authorization) become the endpoint's metadata as they would by default.
/// </summary>
internal sealed class StrictRequestBinder<TService>(ServiceMethodProviderContext<TService> context, Type generatedBase)
    : ServiceBinderBase where TService : class
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
        context.AddUnaryMethod(Strict(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        context.AddServerStreamingMethod(Strict(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
        context.AddClientStreamingMethod(Strict(method), metadata, invoker);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        context.AddDuplexStreamingMethod(Strict(method), metadata, invoker);
    }

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class =>
        new(method.Type, method.ServiceName, method.Name,
            StrictRequestMarshaller.Wrap(method.RequestMarshaller, RequestTypeName<TRequest>()),
            method.ResponseMarshaller);

    /// <summary>The protobuf name of the request type (permissionlayer.v1.CheckRequest), or its CLR name.</summary>
    private static string RequestTypeName<TRequest>() =>
        typeof(TRequest).GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            is Google.Protobuf.Reflection.MessageDescriptor descriptor ? descriptor.FullName : typeof(TRequest).Name;

    private (TDelegate Invoker, List<object> Metadata) Handler<TDelegate>(string name, params Type[] parameters)
        where TDelegate : Delegate
    {
        var handler = Override(name, parameters)
            ?? throw new InvalidOperationException($"{typeof(TService).Name} does not override {generatedBase.Name}.{name}");
        var metadata = new List<object>();
        // The service's attributes first, the method's last: the method's take precedence.
        metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
        metadata.AddRange(handler.GetCustomAttributes(inherit: true));
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
    }

    /// <summary>
    /// The public instance method overriding the generated one. A method that merely hides it (same
    /// name, not an override) is skipped, as it would not be what gRPC's generated binding calls.
    /// </summary>
    private MethodInfo? Override(string name, Type[] parameters)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, null, parameters, null);
            if (method is null)
            {
                return null;
            }
            if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == generatedBase)
            {
                return method;
            }
        }
        return null;
    }
}
