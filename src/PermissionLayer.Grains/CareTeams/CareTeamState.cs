using System.Collections.Immutable;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Storage.CareTeams;

namespace PermissionLayer.Grains.CareTeams;

/// <summary>
/// A care team's activation's snapshot (immutable; the stored row is an EF entity and is not kept):
/// the team as on record, or <see cref="None"/> when there is none, and the questions answered from it.
/// </summary>
internal sealed record CareTeamState(
    bool Exists, string SubjectPatientId, string Status, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd,
    ImmutableArray<CareTeamParticipant> Participants, long Revision)
{
    public static readonly CareTeamState None = new(false, "", "", null, null, [], 0);

    public static CareTeamState Of(CareTeamRow? row) => row is null
        ? None
        : new(true, row.SubjectPatientId, row.Status, row.PeriodStart, row.PeriodEnd,
            [.. row.Participations.Select(p => new CareTeamParticipant(p.Member, p.PeriodStart, p.PeriodEnd))], row.Revision);

    /// <summary>Each member once (a member may hold several participations).</summary>
    public IEnumerable<string> Members => Participants.Select(p => p.Member).Distinct(StringComparer.Ordinal);

    public string? SubjectInForce(DateTimeOffset at) =>
        Exists && CareTeamEntitlement.InForce(Status, PeriodStart, PeriodEnd, at) ? SubjectPatientId : null;

    public string? SubjectFor(string principal, DateTimeOffset at) =>
        Exists && CareTeamEntitlement.ParticipantInForce(Status, PeriodStart, PeriodEnd, Participants, principal, at) ? SubjectPatientId : null;

    public CareTeamDefinition? ToDefinition() => Exists
        ? new CareTeamDefinition(SubjectPatientId, Status, PeriodStart, PeriodEnd,
            [.. Participants.Select(p => new CareTeamParticipation(p.Member, p.PeriodStart, p.PeriodEnd))], "", "", Revision)
        : null;
}
