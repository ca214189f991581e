using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
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
    private IReadOnlyList<CareTeamParticipant> _participants = [];

    /// <summary>
    /// The members this activation has told they are on the team (and not since told they left). A
    /// fresh activation has told nobody, so its first change tells every participant; a failed
    /// notification leaves the set as it was, so the next change sends it again.
    /// </summary>
    private ImmutableHashSet<string> _told = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    private string TeamId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        Hold(await StorageGuard.Run(() => store.LoadAsync(TeamId, cancellationToken)));

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
            Participations =
            [
                .. definition.Participants.Distinct()
                    .Select(p => new CareTeamParticipationRow { Member = p.Member, PeriodStart = p.PeriodStart, PeriodEnd = p.PeriodEnd }),
            ],
        };
        CareTeamRow stored;
        try
        {
            stored = await StorageGuard.Run(() => store.PutAsync(row, definition.Actor, definition.Reason.Trim(), time.GetUtcNow(), definition.ExpectedRevision));
        }
        catch (EntitlementStoreUnavailableException)
        {
            // The write may have committed before its answer was lost: this activation's team can no
            // longer be trusted to decide who takes part, so the next call loads what PostgreSQL holds.
            DeactivateOnIdle();
            throw;
        }
        await AdoptAsync(stored);
        return stored.Revision;
    }

    Task ICareTeamGrain.Reload() =>
        this.ReloadOrDeactivateAsync(async () => await AdoptAsync(await StorageGuard.Run(() => store.LoadAsync(TeamId))));

    /// <summary>
    /// Takes the committed team as the one in force, then tells joiners and leavers before the caller
    /// is acknowledged. Decisions ask this grain who takes part, so the team is in force from the
    /// moment it is held; the notifications only keep principals' lists of their teams current. A
    /// missed "left" costs the principal one needless question per decision, a missed "joined"
    /// denies until it is sent again (by the next change), so each is sent until it is delivered.
    /// </summary>
    private async Task AdoptAsync(CareTeamRow? team)
    {
        Hold(team);
        if (team is not null)
        {
            revisions.Observe(team.Revision);
        }
        var members = (team?.Participants ?? []).ToImmutableHashSet(StringComparer.Ordinal);
        var joining = members.Except(_told).ToList();
        var leaving = _told.Except(members).ToList();
        var told = joining.Select(member => Tell(member, joined: true)).Concat(leaving.Select(member => Tell(member, joined: false))).ToList();
        var failures = (await Task.WhenAll(told)).OfType<Exception>().ToList();
        if (failures.Count > 0)
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }
    }

    /// <summary>Tells one member, recording it as told only once delivered; returns the failure, if any.</summary>
    private async Task<Exception?> Tell(string member, bool joined)
    {
        try
        {
            var principal = GrainFactory.GetGrain<IPrincipalGrain>(member);
            await (joined ? principal.JoinedCareTeam(TeamId) : principal.LeftCareTeam(TeamId));
            _told = joined ? _told.Add(member) : _told.Remove(member);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private void Hold(CareTeamRow? team)
    {
        _team = team;
        _participants = team is null ? [] : [.. team.Participations.Select(p => new CareTeamParticipant(p.Member, p.PeriodStart, p.PeriodEnd))];
    }

    Task<string?> ICareTeamGrain.SubjectInForce(DateTimeOffset at) =>
        Task.FromResult(_team is not null && CareTeamEntitlement.InForce(_team.Status, _team.PeriodStart, _team.PeriodEnd, at)
            ? _team.SubjectPatientId
            : null);

    Task<string?> ICareTeamGrain.SubjectFor(string principal, DateTimeOffset at) =>
        Task.FromResult(_team is not null
            && CareTeamEntitlement.ParticipantInForce(_team.Status, _team.PeriodStart, _team.PeriodEnd, _participants, principal, at)
                ? _team.SubjectPatientId
                : null);

    Task<CareTeamDefinition?> ICareTeamGrain.Get() =>
        Task.FromResult(_team is null ? null : new CareTeamDefinition(
            _team.SubjectPatientId, _team.Status, _team.PeriodStart, _team.PeriodEnd,
            [.. _participants.Select(p => new CareTeamParticipation(p.Member, p.PeriodStart, p.PeriodEnd))], "", "", _team.Revision));

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
            if (Principal.Validate(participant.Member) is not null || participant.Member.StartsWith("Client/", StringComparison.Ordinal))
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
