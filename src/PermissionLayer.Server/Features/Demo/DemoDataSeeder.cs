using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Server.Features.Demo;

/// <summary>
/// Seeds a small demo data set through the same grains the admin API uses, once (idempotent: a
/// grant that already exists is not created again). Only runs with <c>PermissionLayer:Demo:Seed=true</c>.
/// </summary>
public sealed class DemoDataSeeder(IGrainFactory grains, ILogger<DemoDataSeeder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var created = 0;
        foreach (var (principal, draft) in DemoData.Grants)
        {
            var grain = grains.GetGrain<IPrincipalGrain>(principal);
            var existing = await grain.GetGrants();
            if (existing.Any(g => g.Target == draft.Target && g.RevokedAt is null))
            {
                continue;
            }
            await grain.CreateGrant(draft);
            created++;
        }
        var group = grains.GetGrain<IGroupGrain>(DemoData.GroupId);
        var members = await group.Members(DateTimeOffset.UtcNow);
        var missing = DemoData.GroupMembers.Except(members).ToList();
        if (missing.Count > 0)
        {
            await group.ChangeMembers(new GroupMembersChange(
                [.. missing.Select(p => new GroupMember(p, null, null))], [], "demo-seed", "demo: Group/g9245 members"));
        }
        var consents = grains.GetGrain<IPatientConsentGrain>(DemoConsent.PatientId);
        if (!(await consents.ConsentIds()).Contains(DemoConsent.Id))
        {
            await consents.Put(new ConsentSubmission(DemoConsent.Id, DemoConsent.Json, "demo-seed", "demo: p-ben opts out of research"));
        }
        logger.LogInformation("Demo data seeded: {Created} grant(s) created, {Total} in the demo set", created, DemoData.Grants.Count);
    }
}
