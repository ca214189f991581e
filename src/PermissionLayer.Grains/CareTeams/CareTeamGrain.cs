using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.References;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.CareTeams;

namespace PermissionLayer.Grains.CareTeams;

/// <inheritdoc cref="ICareTeamGrain"/>
public sealed class CareTeamGrain(CareTeamStore store, TimeProvider time, RevisionClock revisions) : Grain, ICareTeamGrain
{
    private CareTeamRow? _team;

    private string TeamId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _team = await StorageGuard.Run(() => store.LoadAsync(TeamId, cancellationToken));

    async Task<long> ICareTeamGrain.Put(CareTeamDefinition definition)
    {
        Validate(definition);
        var row = new CareTeamRow
        {
            Id = TeamId,
            SubjectPatientId = definition.SubjectPatientId,
            Status = definition.Status,
            PeriodStart = definition.PeriodStart,
            PeriodEnd = definition.PeriodEnd,
            Participants = [.. definition.Participants.Distinct(StringComparer.Ordinal)],
        };
        var stored = await StorageGuard.Run(() => store.PutAsync(row, definition.Actor, definition.Reason.Trim(), time.GetUtcNow(), definition.ExpectedRevision));
        await AdoptAsync(stored);
        return stored.Revision;
    }

    Task ICareTeamGrain.Reload() =>
        this.ReloadOrDeactivateAsync(async () => await AdoptAsync(await StorageGuard.Run(() => store.LoadAsync(TeamId))));

    /// <summary>
    /// Takes the committed team as the one in force. Joiners and leavers are told before the caller
    /// is acknowledged: their grains decide from what they were told.
    /// </summary>
    private async Task AdoptAsync(CareTeamRow? team)
    {
        var before = _team?.Participants ?? [];
        _team = team;
        var after = team?.Participants ?? [];
        var joined = after.Except(before).Select(p => GrainFactory.GetGrain<IPrincipalGrain>(p).JoinedCareTeam(TeamId));
        var left = before.Except(after).Select(p => GrainFactory.GetGrain<IPrincipalGrain>(p).LeftCareTeam(TeamId));
        await Task.WhenAll(joined.Concat(left));
        if (team is not null)
        {
            revisions.Observe(team.Revision);
        }
    }

    Task<string?> ICareTeamGrain.SubjectInForce(DateTimeOffset at) =>
        Task.FromResult(_team is not null && CareTeamEntitlement.InForce(_team.Status, _team.PeriodStart, _team.PeriodEnd, at)
            ? _team.SubjectPatientId
            : null);

    Task<CareTeamDefinition?> ICareTeamGrain.Get() =>
        Task.FromResult(_team is null ? null : new CareTeamDefinition(
            _team.SubjectPatientId, _team.Status, _team.PeriodStart, _team.PeriodEnd, _team.Participants, "", "", _team.Revision));

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
        if (definition.PeriodStart is { } start && definition.PeriodEnd is { } end && end <= start)
        {
            throw new EntitlementValidationException("period: end must be after start");
        }
        foreach (var participant in definition.Participants)
        {
            if (Principal.Validate(participant) is not null || participant.StartsWith("Client/", StringComparison.Ordinal))
            {
                throw new EntitlementValidationException($"participants: '{participant}' is not a user reference");
            }
        }
        if (string.IsNullOrWhiteSpace(definition.Reason))
        {
            throw new EntitlementValidationException("reason is required to change a care team");
        }
    }
}
