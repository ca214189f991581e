using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Abstractions.Clients;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Clients;

namespace PermissionLayer.Grains.Clients;

/// <inheritdoc cref="IClientRegistrationGrain"/>
/// <remarks>Loads and changes its <see cref="ClientRegistrationState"/> through <see cref="GrainLifecycle{TSnapshot}"/>.</remarks>
public sealed class ClientRegistrationGrain(ClientRegistrationStore store, ScopeParser scopes, TimeProvider time, LifecycleServices lifecycles)
    : Grain, IClientRegistrationGrain, IIncomingGrainCallFilter
{
    private GrainLifecycle<ClientRegistrationState>? _lifecycle;

    private string ClientId => this.GetPrimaryKeyString();

    private GrainLifecycle<ClientRegistrationState> Lifecycle => _lifecycle ??= new(
        this, ChangedEntity.ClientOf(ClientId), lifecycles, lifecycles.Published.ClientRegistrations, new ClientRegistrationState(null),
        async cancellationToken => new ClientRegistrationState(ToRegistration(await StorageGuard.Run(() => store.LoadAsync(ClientId, cancellationToken)))));

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Lifecycle.ActivateAsync(cancellationToken);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Lifecycle.Deactivate();
        return Task.CompletedTask;
    }

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => Lifecycle.InvokeAsync(context);

    Task<long> IClientRegistrationGrain.Put(ClientRegistrationDraft draft)
    {
        Validate(draft);
        var row = new ClientRegistrationRow
        {
            ClientId = ClientId, Name = draft.Name.Trim(), Status = draft.Status, ScopeCeiling = draft.ScopeCeiling.Trim(),
        };
        return Lifecycle.ChangeAsync(async _ =>
        {
            var stored = await StorageGuard.Run(() => store.PutAsync(row, draft.Actor, draft.Reason.Trim(), time.GetUtcNow(), draft.ExpectedRevision));
            return new AppliedChange<ClientRegistrationState, long>(new ClientRegistrationState(ToRegistration(stored)), stored.Revision, stored.Revision);
        });
    }

    Task<ClientRegistration?> IClientRegistrationGrain.Get() => Task.FromResult(Lifecycle.Snapshot.Registration);

    private void Validate(ClientRegistrationDraft draft)
    {
        if (!ClientRegistration.Statuses.Contains(draft.Status))
        {
            throw new EntitlementValidationException(
                $"status: '{draft.Status}' is not one of {string.Join(", ", ClientRegistration.Statuses)}");
        }
        try
        {
            if (scopes.Parse(draft.ScopeCeiling).Scopes.Count == 0)
            {
                throw new EntitlementValidationException("scope_ceiling: names no resource scope, so the client could reach nothing");
            }
        }
        catch (ScopeFormatException e)
        {
            throw new EntitlementValidationException($"scope_ceiling: {e.Message}");
        }
        if (string.IsNullOrWhiteSpace(draft.Reason))
        {
            throw new EntitlementValidationException("reason is required to change a client registration");
        }
    }

    private ClientRegistration? ToRegistration(ClientRegistrationRow? row) =>
        row is null ? null : new ClientRegistration(ClientId, row.Name, row.Status, row.ScopeCeiling, row.Revision);
}
