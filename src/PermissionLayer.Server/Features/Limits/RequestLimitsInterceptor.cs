using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Features.Limits;

/// <summary>
/// Holds every request of every RPC to its size limit and its fields to theirs before the handler
/// runs (the same for the JSON port, which calls the same handlers). Registered inside the error
/// mapping, so a violation is INVALID_ARGUMENT or RESOURCE_EXHAUSTED, never INTERNAL.
/// </summary>
public sealed class RequestLimitsInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Enforce(request, context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Enforce(request, context);
        return continuation(request, responseStream, context);
    }

    private static void Enforce<TRequest>(TRequest request, ServerCallContext context)
    {
        if (request is not IMessage message)
        {
            return;
        }
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var limit = RequestSizeLimits.For(method);
        var size = message.CalculateSize();
        if (size > limit)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"the request is {size} bytes; {method} accepts at most {limit} bytes"));
        }
        // CheckBatch entries are checked one by one by the handler: a bad entry gets its own error.
        RequestLimits.Enforce(message, skip: message is CheckBatchRequest ? "entries" : null);
    }
}
