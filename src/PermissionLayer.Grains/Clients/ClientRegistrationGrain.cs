using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Abstractions.Clients;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Clients;

namespace PermissionLayer.Grains.Clients;

/// <inheritdoc cref="IClientRegistrationGrain"/>
public sealed class ClientRegistrationGrain(
    ClientRegistrationStore store, ScopeParser scopes, TimeProvider time, RevisionClock revisions, PublishedStates published)
    : Grain, IClientRegistrationGrain
{
    private ClientRegistrationState _state = new(null);
    private StatePublisher<ClientRegistrationState>? _publisher;

    private string ClientId => this.GetPrimaryKeyString();

    private StatePublisher<ClientRegistrationState> Publisher => _publisher ??= new(published.ClientRegistrations, this, ClientId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new ClientRegistrationState(ToRegistration(await StorageGuard.Run(() => store.LoadAsync(ClientId, cancellationToken))));
        if (!cancellationToken.IsCancellationRequested) // a timed-out activation is being abandoned
        {
            Publisher.Publish(_state);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Publisher.Withdraw();
        return Task.CompletedTask;
    }

    async Task<long> IClientRegistrationGrain.Put(ClientRegistrationDraft draft)
    {
        Validate(draft);
        var row = new ClientRegistrationRow
        {
            ClientId = ClientId, Name = draft.Name.Trim(), Status = draft.Status, ScopeCeiling = draft.ScopeCeiling.Trim(),
        };
        return await Publisher.CommitAsync(async () =>
        {
            var stored = await StorageGuard.Run(() => store.PutAsync(row, draft.Actor, draft.Reason.Trim(), time.GetUtcNow(), draft.ExpectedRevision));
            _state = new ClientRegistrationState(ToRegistration(stored));
            revisions.Observe(stored.Revision);
            return stored.Revision;
        }, () => _state);
    }

    Task<ClientRegistration?> IClientRegistrationGrain.Get() => Task.FromResult(_state.Registration);

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
