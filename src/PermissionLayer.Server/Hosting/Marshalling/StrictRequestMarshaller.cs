using System.Text;
using Google.Protobuf;
using Grpc.Core;

namespace PermissionLayer.Server.Hosting.Marshalling;

/// <summary>
/// Wraps a generated request marshaller so that bytes which are not a message of the request type
/// are answered INVALID_ARGUMENT naming the type (issue 14 item 5). gRPC reads a request before any
/// interceptor runs; a deserializer that throws anything but <see cref="RpcException"/> is answered
/// UNKNOWN ("Exception was thrown by handler"), which tells the caller nothing and looks like our
/// fault. The message says what was wrong in fixed words and never echoes the bytes.
/// </summary>
public static class StrictRequestMarshaller
{
    public static Marshaller<TRequest> Wrap<TRequest>(Marshaller<TRequest> generated, string requestType) =>
        Marshallers.Create(generated.ContextualSerializer, context =>
        {
            try
            {
                return generated.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException)
            {
                throw Invalid(requestType, "its bytes are not valid protobuf");
            }
            catch (DecoderFallbackException)
            {
                throw Invalid(requestType, "a string field is not valid UTF-8");
            }
        });

    private static RpcException Invalid(string requestType, string why) =>
        new(new Status(StatusCode.InvalidArgument, $"request: not a {requestType} message: {why}"));
}
