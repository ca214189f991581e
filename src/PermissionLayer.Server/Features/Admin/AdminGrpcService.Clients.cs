using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Abstractions.Clients;
using PermissionLayer.Grains.Abstractions.Errors;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>Client application registrations: status and scope ceiling.</summary>
public sealed partial class AdminGrpcService
{
    public override async Task<PutClientRegistrationResponse> PutClientRegistration(PutClientRegistrationRequest request, ServerCallContext context)
    {
        RequireClientId(request.ClientId);
        var draft = new ClientRegistrationDraft(
            request.Name, request.Status, request.ScopeCeiling, Actor(context), request.Reason, request.HasExpectedRevision ? request.ExpectedRevision : null);
        var revision = await grains.GetGrain<IClientRegistrationGrain>(request.ClientId).Put(draft);
        return new PutClientRegistrationResponse { Revision = revision };
    }

    public override async Task<Contracts.V1.ClientRegistration> GetClientRegistration(GetClientRegistrationRequest request, ServerCallContext context)
    {
        RequireClientId(request.ClientId);
        var registration = await grains.GetGrain<IClientRegistrationGrain>(request.ClientId).Get()
            ?? throw new EntitlementNotFoundException($"client '{request.ClientId}' is not registered");
        return ToWire(registration);
    }

    private static Contracts.V1.ClientRegistration ToWire(Grains.Abstractions.Clients.ClientRegistration registration) => new()
    {
        ClientId = registration.ClientId, Name = registration.Name, Status = registration.Status,
        ScopeCeiling = registration.ScopeCeiling, Revision = registration.Revision,
    };

    private static void RequireClientId(string clientId)
    {
        if (!Principal.IsClientId(clientId))
        {
            throw new RequestValidationException("client_id", $"'{clientId}' is not a client id");
        }
    }
}
