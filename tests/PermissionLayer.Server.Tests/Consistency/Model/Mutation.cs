namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>
/// A change made through the admin API after the case's first round of questions, that only ever takes
/// access away: a grant revoked, a member removed from a Group or Organization, a participant removed
/// from a care team, a care team made inactive. Facts are named by key (grant key, set reference, team
/// id), so a mutation whose fact a shrink removed simply no longer applies.
/// </summary>
internal sealed record Mutation(MutationKind Kind, int GrantKey = -1, string? Target = null, string? Member = null)
{
    public bool AppliesTo(EntitlementGraph graph) => Kind switch
    {
        MutationKind.RevokeGrant => graph.Grants.Any(g => g.Key == GrantKey),
        MutationKind.RemoveMember => graph.Sets.Any(s => s.Reference == Target && s.Members.Any(m => m.Patient == Member)),
        MutationKind.RemoveParticipant => graph.CareTeams.Any(t => t.Id == Target && t.Participants.Contains(Member!)),
        _ => graph.CareTeams.Any(t => t.Id == Target && t.Status != "inactive"),
    };

    public EntitlementGraph Apply(EntitlementGraph graph) => !AppliesTo(graph) ? graph : Kind switch
    {
        MutationKind.RevokeGrant => graph with { Grants = [.. graph.Grants.Where(g => g.Key != GrantKey)] },
        MutationKind.RemoveMember => graph with
        {
            Sets = [.. graph.Sets.Select(s => s.Reference == Target ? s with { Members = [.. s.Members.Where(m => m.Patient != Member)] } : s)],
        },
        MutationKind.RemoveParticipant => graph with
        {
            CareTeams = [.. graph.CareTeams.Select(t => t.Id == Target ? t with { Participants = [.. t.Participants.Where(p => p != Member)] } : t)],
        },
        _ => graph with { CareTeams = [.. graph.CareTeams.Select(t => t.Id == Target ? t with { Status = "inactive" } : t)] },
    };

    public string Describe(EntitlementGraph before) => Kind switch
    {
        MutationKind.RevokeGrant => $"revoke grant {before.Grants.FirstOrDefault(g => g.Key == GrantKey)?.ToString() ?? $"#{GrantKey}"}",
        MutationKind.RemoveMember => $"remove {Member} from {Target}",
        MutationKind.RemoveParticipant => $"remove {Member} from CareTeam/{Target}",
        _ => $"make CareTeam/{Target} inactive",
    };
}
