using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PermissionLayer.Server.Features.Errors;

/// <summary>
/// Maps domain failures to gRPC status codes in one place. Anything unexpected becomes INTERNAL
/// (never a permit); storage and cluster trouble becomes UNAVAILABLE so that clients retry.
/// </summary>
public sealed class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context.Method);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context.Method);
        }
    }

    private RpcException Map(Exception e, string method)
    {
        var status = ErrorStatus.Of(e);
        if (status.StatusCode is StatusCode.Internal or StatusCode.Unavailable)
        {
            logger.LogError(e, "{Method} failed with {Status}", method, status.StatusCode);
        }
        return new RpcException(status);
    }
}
