using System.Text.Json.Nodes;
using Google.Protobuf;
using PermissionLayer.Client.Tests.Support;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Client.Tests.WireContract;

/// <summary>
/// The .proto files are the contract, not the generated .NET code: a Node.js client built from them
/// with grpc-js must get the same decision as the .NET client for the same request.
/// </summary>
public sealed class NodeWireContractTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime, IDisposable
{
    private const string App = "wire-contract-app";
    private readonly Uri _address = new($"http://127.0.0.1:{server.Host.GrpcPort}");
    private PermissionLayerClient? _dotnet;

    public async ValueTask InitializeAsync()
    {
        Assert.SkipWhen(Environment.GetEnvironmentVariable(NodeWireClient.SkipVariable) == "1", $"{NodeWireClient.SkipVariable}=1");
        var admin = new AdminService.AdminServiceClient(server.Host.Channel);
        await admin.CreateGrantAsync(Requests.TrustClient(App));
        await admin.CreateGrantAsync(Requests.Grant("Practitioner/wire-a", "Patient/wire-p"));
        _dotnet = new PermissionLayerClient(new PermissionLayerClientOptions
        {
            Address = _address, ApiKey = server.Host.SuperKey, DefaultDeadline = TimeSpan.FromSeconds(30), // answers, not latency
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => _dotnet?.Dispose();

    [Theory]
    [InlineData(App, "Practitioner/wire-a", "wire-p", "OUTCOME_PERMIT")]
    [InlineData(App, "Practitioner/wire-a", "other-p", "OUTCOME_DENY")]
    [InlineData("unknown-app", "Practitioner/wire-a", "wire-p", "OUTCOME_DENY")]
    public async Task Node_client_gets_the_same_decision_as_the_dotnet_client(string clientId, string fhirUser, string patient, string expected)
    {
        var request = Requests.ReadPatient(clientId, fhirUser, patient);

        var viaDotnet = await _dotnet!.CheckAsync(request);
        var viaNode = await NodeWireClient.CheckAsync(_address, request, server.Host.SuperKey);

        Assert.Equal(expected, (string?)viaNode["outcome"]);
        var dotnetJson = JsonNode.Parse(Formatter.Format(viaDotnet.Response))!;
        Assert.Equal((string?)dotnetJson["outcome"], (string?)viaNode["outcome"]);
        Assert.Equal(Comparable(dotnetJson["reasons"]!), Comparable(viaNode["reasons"]!));
        Assert.True(Guid.TryParse((string?)viaNode["decisionId"], out _));
        Assert.True(long.Parse((string)viaNode["revision"]!) > 0);
    }

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>Reason fields that must agree field by field: term, outcome, code, message, source.</summary>
    private static IReadOnlyList<string> Comparable(JsonNode reasons) =>
        reasons.AsArray().Select(r => string.Join(" | ",
            (string?)r!["term"], (string?)r["outcome"], (string?)r["code"], (string?)r["message"], (string?)r["source"])).ToList();
}
