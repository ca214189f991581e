using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, eighth round: requests permitted where the documented semantics (README,
/// "Request contract"; DESIGN.md §1 "fail closed") say they must be denied, and the binding of every
/// RPC by the strict request marshallers. Each test asserts the fail-closed outcome; it fails while
/// the hole is open.
/// </summary>
public sealed class ReviewHoleTests8(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string User = "Practitioner/rv8-user";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        // Full clearance for rv8-cp: a conditional write needs a search of it that excludes no label.
        var cleared = Requests.Grant(User, "Patient/rv8-cp", "crus");
        cleared.Grant.Clearance = "V";
        cleared.Grant.SensitivityCategories.AddRange(PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal));
        await _admin.CreateGrantAsync(cleared);
        foreach (var patient in new[] { "rv8-dp", "rv8-dp-unknown", "rv8-dp-base" })
        {
            await _admin.CreateGrantAsync(Requests.Grant(User, $"Patient/{patient}", "cruds"));
            // Data recorded in 2025 is withheld from everyone, for every action.
            await _admin.PutConsentAsync(ReviewChecks.Consent($"{patient}-c", patient, "OPTIN", DenyRecorded2025));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private const string DenyRecorded2025 =
        """{"type":"deny","dataPeriod":{"start":"2025-01-01T00:00:00Z","end":"2025-12-31T23:59:59Z"}}""";

    private static readonly DateTimeOffset Recorded2020 = new(2020, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Recorded2025 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ResourceState Observation(string patient, DateTimeOffset? recorded) => new()
    {
        Facts = new ResourceFacts
        {
            Complete = true, Patients = { patient }, Reference = "Observation/rv8-obs",
            RecordedAt = recorded is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        },
    };

    private static CheckRequest Update(string patient, DateTimeOffset? stored, DateTimeOffset? proposed) => new()
    {
        Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = "user/Observation.cruds" },
        Interaction = Interaction.Update,
        ResourceType = "Observation",
        ResourceId = "rv8-obs",
        Stored = Observation(patient, stored),
        Proposed = Observation(patient, proposed),
    };

    // ---- 1. The consent question takes the data's recorded time from the first state that has one
    // (DecisionCore.ConsentQuestion: stored before proposed). An UPDATE or PATCH carries two states, and
    // a consent's dataPeriod deny about the one not read is never asked: the update that writes data
    // recorded in a withheld period (2025) over data recorded in 2020 is permitted; so is one whose new
    // state's recorded time is unknown (FHIR JSON, or facts without recorded_at), which should be a
    // "maybe" (a deny counts), as it is for a state without any recorded time.

    [Fact]
    public async Task Baseline_data_recorded_in_a_withheld_period_is_denied()
    {
        var response = await _decisions.CheckAsync(Update("rv8-dp-base", Recorded2025, Recorded2025));
        Assert.True(response.Outcome == Outcome.Deny, ReviewChecks.Describe(response));
        var allowed = await _decisions.CheckAsync(Update("rv8-dp-base", Recorded2020, Recorded2020));
        Assert.True(allowed.Outcome == Outcome.Permit, ReviewChecks.Describe(allowed));
    }

    [Fact]
    public async Task An_update_whose_new_state_is_recorded_in_a_withheld_data_period_is_not_permitted() =>
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Update("rv8-dp", Recorded2020, Recorded2025));

    [Fact]
    public async Task An_update_whose_new_state_has_no_recorded_time_is_not_permitted_past_a_data_period_deny() =>
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Update("rv8-dp-unknown", Recorded2020, null));

    // ---- 3. A conditional write's criteria "name" a patient through patient= or subject= on any type
    // (SearchQuery.TargetedPatients), also on a type that has no such search parameter. Patient has
    // neither: a FHIR server ignores an unknown parameter (lenient handling, the default of many), so
    // If-None-Exist: patient=rv8-cp runs over every Patient on the server, with no obligation, and its
    // 200 (with the one match's Location) or 412 tells the user about patients they do not reach. The
    // criteria were confined only on paper: they name rv8-cp, the search is decided for rv8-cp.

    private static CheckRequest CreatePatientIfNoneExist(string criteria) => new()
    {
        Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = "user/Patient.crs" },
        Interaction = Interaction.Create,
        Conditional = true,
        Query = criteria,
        ResourceType = "Patient",
        Proposed = new ResourceState { FhirJson = """{"resourceType":"Patient","name":[{"family":"Probe"}]}""" },
    };

    [Fact]
    public async Task Baseline_a_conditional_create_of_a_Patient_by_its_id_is_permitted()
    {
        var response = await _decisions.CheckAsync(CreatePatientIfNoneExist("_id=rv8-cp"));
        var search = await _decisions.CheckAsync(new CheckRequest
        {
            Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = "user/Patient.crs" },
            Interaction = Interaction.SearchType, ResourceType = "Patient", Query = "_id=rv8-cp",
        });
        Assert.True(response.Outcome == Outcome.Permit, ReviewChecks.Describe(response) + " | as a search: " + ReviewChecks.Describe(search));
    }

    [Theory]
    [InlineData("patient=rv8-cp")]
    [InlineData("subject=rv8-cp")]
    [InlineData("subject:Patient=rv8-cp")]
    public async Task A_conditional_create_of_a_Patient_whose_criteria_name_a_patient_through_no_parameter_of_Patient_is_not_permitted(string criteria) =>
        await ReviewChecks.AssertNotPermittedAsync(_decisions, CreatePatientIfNoneExist(criteria));

    // ---- 2. Every RPC of every service is bound once, by the strict binder, with its service's
    // authorization: no key is UNAUTHENTICATED and another role's key PERMISSION_DENIED, on every
    // method (found from the service descriptors, so a method added later is covered too).

    private static readonly (Google.Protobuf.Reflection.ServiceDescriptor Service, string Role)[] Services =
    [
        (DecisionService.Descriptor, CallerRoles.Pep),
        (AdminService.Descriptor, CallerRoles.Admin),
        (AuditService.Descriptor, CallerRoles.Auditor),
    ];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    [Fact]
    public async Task Every_rpc_refuses_a_caller_without_a_key_or_with_another_role()
    {
        var failures = new List<string>();
        using var anonymous = server.Host.ChannelWith(null);
        foreach (var (service, role) in Services)
        {
            var others = CallerRoles.All.Where(r => r != role).ToArray();
            using var wrongRole = server.Host.ChannelWith(await server.Host.CreateKeyAsync($"rv8-not-{role}", others));
            foreach (var method in service.Methods)
            {
                foreach (var (channel, expected) in new[] { (anonymous, StatusCode.Unauthenticated), (wrongRole, StatusCode.PermissionDenied) })
                {
                    var status = await CallAsync(channel.CreateCallInvoker(), service.FullName, method);
                    if (status != expected)
                    {
                        failures.Add($"{service.FullName}/{method.Name}: expected {expected}, got {status}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_rpc_is_bound_once_with_its_services_role()
    {
        var endpoints = ((EndpointDataSource)server.Host.Services.GetService(typeof(EndpointDataSource))!).Endpoints;
        var failures = new List<string>();
        foreach (var (service, role) in Services)
        {
            foreach (var method in service.Methods)
            {
                var path = $"/{service.FullName}/{method.Name}";
                var bound = endpoints.OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText == path).ToList();
                if (bound.Count != 1)
                {
                    failures.Add($"{path}: bound {bound.Count} times");
                }
                // Native and transcoded endpoints of the method alike.
                foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<GrpcMethodMetadata>() is { } m
                             && m.Method.ServiceName == service.FullName && m.Method.Name == method.Name))
                {
                    var roles = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Roles).ToList();
                    if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || !roles.Contains(role))
                    {
                        failures.Add($"{endpoint.DisplayName}: roles [{string.Join(",", roles)}], anonymous {endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Calls the method with an empty message (valid protobuf for every request type) and returns the status.</summary>
    private static async Task<StatusCode> CallAsync(CallInvoker invoker, string serviceName, Google.Protobuf.Reflection.MethodDescriptor method)
    {
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var rpc = new Method<byte[], byte[]>(type, serviceName, method.Name, Bytes, Bytes);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(rpc, null, options, []);
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(rpc, null, options, []))
                    {
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }
                    break;
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(rpc, null, options))
                    {
                        await call.RequestStream.CompleteAsync();
                        await call.ResponseAsync;
                    }
                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(rpc, null, options))
                    {
                        await call.RequestStream.CompleteAsync();
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }
                    break;
            }
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
