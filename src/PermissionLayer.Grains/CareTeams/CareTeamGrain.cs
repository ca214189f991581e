using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.References;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Storage.CareTeams;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains.CareTeams;

/// <inheritdoc cref="ICareTeamGrain"/>
/// <remarks>
/// Loads, changes and reloads its <see cref="CareTeamState"/> through <see cref="GrainLifecycle{TSnapshot}"/>
/// (asked by calls only, never published). Its members' lists of teams follow through the same
/// lifecycle: a team's change names every former and new member among the entities it alters, so
/// each silo's activations of those principals reload (this silo's at once, others' at their
/// catch-up). Until then a principal on another silo may ask a team it has left (which answers no)
/// or not yet ask one it joined (a deny): never a permit the team does not give.
/// </remarks>
public sealed class CareTeamGrain(CareTeamStore store, TimeProvider time, LifecycleServices lifecycles) : Grain, ICareTeamGrain, IIncomingGrainCallFilter
{
    private GrainLifecycle<CareTeamState>? _lifecycle;

    private string TeamId => this.GetPrimaryKeyString();

    private GrainLifecycle<CareTeamState> Lifecycle => _lifecycle ??= new(
        this, ChangedEntity.TeamOf(TeamId), lifecycles, published: null, CareTeamState.None,
        async cancellationToken => CareTeamState.Of(await StorageGuard.Run(() => store.LoadAsync(TeamId, cancellationToken))));

    private CareTeamState State => Lifecycle.Snapshot;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Lifecycle.ActivateAsync(cancellationToken);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Lifecycle.Deactivate();
        return Task.CompletedTask;
    }

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => Lifecycle.InvokeAsync(context);

    Task<long> ICareTeamGrain.Put(CareTeamDefinition definition)
    {
        Validate(definition);
        var row = new CareTeamRow
        {
            Id = TeamId,
            SubjectPatientId = definition.SubjectPatientId,
            Status = definition.Status,
            PeriodStart = definition.PeriodStart,
            PeriodEnd = definition.PeriodEnd,
            Participations =
            [
                .. definition.Participants.Distinct()
                    .Select(p => new CareTeamParticipationRow { Member = p.Member, PeriodStart = p.PeriodStart, PeriodEnd = p.PeriodEnd }),
            ],
        };
        return Lifecycle.ChangeAsync(async before =>
        {
            var stored = CareTeamState.Of(await StorageGuard.Run(() =>
                store.PutAsync(row, definition.Actor, definition.Reason.Trim(), time.GetUtcNow(), definition.ExpectedRevision)));
            var members = before.Members.Concat(stored.Members).Distinct(StringComparer.Ordinal).Select(ChangedEntity.PrincipalOf).ToList();
            return new AppliedChange<CareTeamState, long>(stored, stored.Revision, stored.Revision, members);
        });
    }

    Task ICareTeamGrain.Reload() => Lifecycle.ReloadAfterAsync();

    Task<string?> ICareTeamGrain.SubjectInForce(DateTimeOffset at) => Task.FromResult(State.SubjectInForce(at));

    Task<string?> ICareTeamGrain.SubjectFor(string principal, DateTimeOffset at) => Task.FromResult(State.SubjectFor(principal, at));

    Task<CareTeamDefinition?> ICareTeamGrain.Get() => Task.FromResult(State.ToDefinition());

    private static void Validate(CareTeamDefinition definition)
    {
        if (!FhirReference.IsId(definition.SubjectPatientId))
        {
            throw new EntitlementValidationException($"subject: '{definition.SubjectPatientId}' is not a patient id");
        }
        if (!CareTeamEntitlement.Statuses.Contains(definition.Status))
        {
            throw new EntitlementValidationException(
                $"status: '{definition.Status}' is not one of {string.Join(", ", CareTeamEntitlement.Statuses)}");
        }
        if (CareTeamEntitlement.ValidatePeriod(definition.PeriodStart, definition.PeriodEnd) is { } period)
        {
            throw new EntitlementValidationException($"period: {period}");
        }
        foreach (var participant in definition.Participants)
        {
            if (PrincipalRef.ValidateUser(participant.Member) is not null)
            {
                throw new EntitlementValidationException($"participants: '{participant.Member}' is not a user reference");
            }
            if (CareTeamEntitlement.ValidatePeriod(participant.PeriodStart, participant.PeriodEnd) is { } error)
            {
                throw new EntitlementValidationException($"participant_periods: {participant.Member}: {error}");
            }
        }
        if (string.IsNullOrWhiteSpace(definition.Reason))
        {
            throw new EntitlementValidationException("reason is required to change a care team");
        }
    }
}
