using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// Loads a graph through the real admin API, under the case's prefix. Writes to different entities
/// go concurrently (each is its own grain and commit); the returned map takes the server's grant ids
/// back to the generated grants (for the WhoCanSee converse, which sees grant ids only).
/// </summary>
internal static class GraphLoader
{
    private const string Reason = "cross-API consistency case";

    public static async Task<IReadOnlyDictionary<string, GrantSpec>> LoadAsync(AdminService.AdminServiceClient admin, EntitlementGraph graph, CaseNames names)
    {
        var writes = new List<Task>();
        writes.AddRange(graph.Sets.Where(s => s.Members.Count > 0).Select(s => ChangeSetAsync(admin, s, names)));
        writes.AddRange(graph.CareTeams.Select(t => PutCareTeamAsync(admin, t, names)));
        writes.AddRange(graph.Clients.Where(c => c.Status is not null).Select(c => admin.PutClientRegistrationAsync(new PutClientRegistrationRequest
        {
            ClientId = names.Id(c.Id), Name = $"case app {c.Id}", Status = c.Status!, ScopeCeiling = c.Ceiling, Reason = Reason,
        }).ResponseAsync));
        writes.AddRange(graph.Consents.Select(c => admin.PutConsentAsync(new PutConsentRequest
        {
            ConsentId = names.Id(c.Id), ConsentJson = ConsentJson.Of(c, names), Reason = Reason,
        }).ResponseAsync));
        // One principal's grants go one after another (its grain serialises them anyway); principals in parallel.
        var grants = graph.Grants.GroupBy(g => g.Principal).Select(async principal =>
        {
            var created = new List<(string, GrantSpec)>();
            foreach (var grant in principal)
            {
                var response = await admin.CreateGrantAsync(new CreateGrantRequest { Grant = ToWire(grant, names) });
                created.Add((response.Grant.Id, grant));
            }
            return created;
        }).ToList();
        await Task.WhenAll(writes);
        return (await Task.WhenAll(grants)).SelectMany(g => g).ToDictionary(g => g.Item1, g => g.Item2);
    }

    /// <summary>Makes the case's changes, one after another, as the admin API offers them.</summary>
    public static async Task ApplyAsync(AdminService.AdminServiceClient admin, LoadedCase loaded, IReadOnlyList<Mutation> mutations)
    {
        var graph = loaded.Case.Graph;
        var names = loaded.Names;
        foreach (var mutation in mutations.Where(m => m.AppliesTo(graph)))
        {
            var after = mutation.Apply(graph);
            switch (mutation.Kind)
            {
                case MutationKind.RevokeGrant:
                    var grant = graph.Grants.First(g => g.Key == mutation.GrantKey);
                    await admin.RevokeGrantAsync(new RevokeGrantRequest
                    {
                        GrantId = loaded.IdOf(grant.Key), Principal = names.Reference(grant.Principal), Reason = Reason,
                    });
                    break;
                case MutationKind.RemoveMember:
                    var set = graph.Sets.First(s => s.Reference == mutation.Target);
                    if (set.IsOrganization)
                    {
                        var change = new ChangeOrganizationPatientsRequest { OrganizationId = names.Id(set.Id), Reason = Reason };
                        change.Remove.Add(names.Id(mutation.Member!));
                        await admin.ChangeOrganizationPatientsAsync(change);
                    }
                    else
                    {
                        var change = new ChangeGroupMembersRequest { GroupId = names.Id(set.Id), Reason = Reason };
                        change.Remove.Add(names.Id(mutation.Member!));
                        await admin.ChangeGroupMembersAsync(change);
                    }
                    break;
                default:
                    await PutCareTeamAsync(admin, after.CareTeams.First(t => t.Id == mutation.Target), names);
                    break;
            }
            graph = after;
        }
    }

    private static Grant ToWire(GrantSpec grant, CaseNames names)
    {
        var wire = new Grant
        {
            Principal = names.Reference(grant.Principal), Target = names.Reference(grant.Target), Actions = grant.Actions,
            Reason = Reason, Clearance = grant.Clearance ?? "", BreakGlass = grant.BreakGlass,
            ValidFrom = At(grant.Valid.From), ValidUntil = At(grant.Valid.Until),
        };
        wire.ResourceTypes.AddRange(grant.ResourceTypes);
        wire.Purposes.AddRange(grant.Purposes);
        wire.SensitivityCategories.AddRange(grant.Categories);
        return wire;
    }

    private static async Task ChangeSetAsync(AdminService.AdminServiceClient admin, PatientSetSpec set, CaseNames names)
    {
        var members = set.Members.Select(m => new GroupMember
        {
            PatientId = names.Id(m.Patient), PeriodStart = At(m.Period.From), PeriodEnd = At(m.Period.Until),
        });
        if (set.IsOrganization)
        {
            var change = new ChangeOrganizationPatientsRequest { OrganizationId = names.Id(set.Id), Reason = Reason };
            change.Upsert.AddRange(members);
            await admin.ChangeOrganizationPatientsAsync(change);
        }
        else
        {
            var change = new ChangeGroupMembersRequest { GroupId = names.Id(set.Id), Reason = Reason };
            change.Upsert.AddRange(members);
            await admin.ChangeGroupMembersAsync(change);
        }
    }

    private static async Task PutCareTeamAsync(AdminService.AdminServiceClient admin, CareTeamSpec team, CaseNames names)
    {
        var put = new PutCareTeamRequest
        {
            CareTeamId = names.Id(team.Id), SubjectPatientId = names.Id(team.Subject), Status = team.Status,
            PeriodStart = At(team.Period.From), PeriodEnd = At(team.Period.Until), Reason = Reason,
        };
        put.Participants.AddRange(team.Participants.Select(names.Reference));
        await admin.PutCareTeamAsync(put);
    }

    private static Timestamp? At(DateTimeOffset? instant) => instant is { } value ? Timestamp.FromDateTimeOffset(value) : null;
}
