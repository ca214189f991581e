using Google.Protobuf;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Hosting;

/// <summary>
/// Issue 14 item 5: bytes that are not a message of the RPC's request type (malformed protobuf, a
/// string field that is not UTF-8) are INVALID_ARGUMENT naming the request type — unary and server
/// streams alike — never UNKNOWN ("Exception was thrown by handler"), and the connection stays usable.
/// </summary>
public sealed class MalformedMessageTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    /// <summary>A field tag announcing a 100-byte length-delimited value followed by 2 bytes.</summary>
    private static readonly byte[] Truncated = [0x0A, 0x64, 0x01, 0x02];

    /// <summary>Field 1 (a string in every request below) holding bytes that are not UTF-8.</summary>
    private static readonly byte[] NotUtf8 = [0x0A, 0x03, 0xC3, 0x28, 0xFF];

    /// <summary>A wire type that does not exist (7).</summary>
    private static readonly byte[] BadWireType = [0x0F, 0x01];

    public static TheoryData<string, string, bool, string> Cases() => new()
    {
        { "permissionlayer.v1.DecisionService", "Check", false, "truncated" },
        { "permissionlayer.v1.DecisionService", "CheckBatch", false, "wire-type" },
        { "permissionlayer.v1.DecisionService", "StreamAccessiblePatients", true, "truncated" },
        { "permissionlayer.v1.AdminService", "CreateGrant", false, "truncated" },
        { "permissionlayer.v1.AdminService", "WhoCanSee", false, "utf8" },
        { "permissionlayer.v1.AdminService", "Import", true, "utf8" },
        { "permissionlayer.v1.AuditService", "VerifyChain", false, "wire-type" },
        { "permissionlayer.v1.AuditService", "QueryDecisions", true, "utf8" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_bytes_are_invalid_argument_naming_the_request_type(string service, string method, bool serverStream, string kind)
    {
        var bytes = kind switch { "truncated" => Truncated, "utf8" => NotUtf8, _ => BadWireType };
        var error = await Assert.ThrowsAsync<RpcException>(() => CallAsync(service, method, serverStream, bytes));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("request:", error.Status.Detail);
        Assert.Contains("permissionlayer.v1.", error.Status.Detail);
        // The same connection answers the next, well-formed call.
        var ping = await new DecisionService.DecisionServiceClient(server.Host.Channel).PingAsync(new PingRequest());
        Assert.NotNull(ping);
    }

    [Fact]
    public async Task A_well_formed_message_sent_raw_is_still_decided()
    {
        var bytes = Requests.ReadPatient("Practitioner/raw", "raw-1").ToByteArray();
        var answer = await CallAsync("permissionlayer.v1.DecisionService", "Check", serverStream: false, bytes);
        Assert.Equal(Outcome.Deny, CheckResponse.Parser.ParseFrom(answer).Outcome);
    }

    private async Task<byte[]> CallAsync(string service, string name, bool serverStream, byte[] request)
    {
        var invoker = server.Host.Channel.CreateCallInvoker();
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20));
        if (!serverStream)
        {
            var method = new Method<byte[], byte[]>(MethodType.Unary, service, name, Raw, Raw);
            return await invoker.AsyncUnaryCall(method, null, options, request);
        }
        var streaming = new Method<byte[], byte[]>(MethodType.ServerStreaming, service, name, Raw, Raw);
        using var call = invoker.AsyncServerStreamingCall(streaming, null, options, request);
        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
        }
        return [];
    }
}
