using System.Net;
using System.Text.Json;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Admin;

/// <summary>
/// Reading entitlements back over real gRPC (and JSON), silo and PostgreSQL: "who can see Patient/P"
/// through every kind of path, and the Watch stream resuming from a revision.
/// </summary>
public sealed class AdminReadTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);

    private async Task<long> Members(string group, string reason, string[] add, string[]? remove = null)
    {
        var change = new ChangeGroupMembersRequest { GroupId = group, Reason = reason };
        change.Upsert.AddRange(add.Select(p => new GroupMember { PatientId = p }));
        change.Remove.AddRange(remove ?? []);
        return (await _admin.ChangeGroupMembersAsync(change)).Revision;
    }

    [Fact]
    public async Task Who_can_see_lists_every_path_to_the_patient_and_nothing_else()
    {
        var direct = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/wcs-gp", "Patient/wcs-pat"))).Grant.Id;
        await Members("wcs-ward", "ward roster", ["wcs-pat", "wcs-other"]);
        var viaGroup = (await _admin.CreateGrantAsync(Requests.Grant("Client/wcs-app", "Group/wcs-ward"))).Grant.Id;
        var team = new PutCareTeamRequest { CareTeamId = "wcs-team", SubjectPatientId = "wcs-pat", Status = "active", Reason = "episode" };
        team.Participants.Add("Practitioner/wcs-nurse");
        await _admin.PutCareTeamAsync(team);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/wcs-elsewhere", "Patient/wcs-other"));
        var revoked = (await _admin.CreateGrantAsync(Requests.Grant("Practitioner/wcs-former", "Patient/wcs-pat"))).Grant.Id;
        await _admin.RevokeGrantAsync(new RevokeGrantRequest { GrantId = revoked, Principal = "Practitioner/wcs-former", Reason = "left" });

        var paths = (await _admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = "wcs-pat" })).Paths;

        Assert.Contains(paths, p => p.Principal == "Practitioner/wcs-gp" && p.GrantId == direct && p.Via == "Patient/wcs-pat");
        Assert.Contains(paths, p => p.Principal == "Client/wcs-app" && p.GrantId == viaGroup && p.Via == "Group/wcs-ward");
        Assert.Contains(paths, p => p.Principal == "Practitioner/wcs-nurse" && p.GrantId == "" && p.Via == "CareTeam/wcs-team");
        Assert.Contains(paths, p => p.Principal == "Patient/wcs-pat");
        Assert.DoesNotContain(paths, p => p.Principal is "Practitioner/wcs-elsewhere" or "Practitioner/wcs-former");
    }

    [Fact]
    public async Task Who_can_see_answers_over_json_and_names_a_bad_patient_id()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/json-gp", "Patient/json-pat"));
        var body = await server.Host.Http.GetStringAsync("/v1/patients/json-pat/access", TestContext.Current.CancellationToken);
        var principals = JsonDocument.Parse(body).RootElement.GetProperty("paths").EnumerateArray()
            .Select(p => p.GetProperty("principal").GetString()).ToList();
        Assert.Contains("Practitioner/json-gp", principals);

        var bad = await server.Host.Http.GetAsync("/v1/patients/not%20an%20id/access", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("patient_id", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Watch_streams_changes_after_a_revision_and_resumes_where_it_stopped()
    {
        var first = await Members("watch-panel", "admitted", ["w-1"]);
        var second = await Members("watch-panel", "admitted", ["w-2"]);
        var third = await Members("watch-panel", "discharged", [], ["w-1"]);

        var seen = await ReadWatch(first, 2);
        Assert.Equal([second, third], seen.Select(c => c.Revision));
        Assert.Equal(("group.members-changed", "Group/watch-panel", "discharged"), (seen[1].Kind, seen[1].Subject, seen[1].Reason));
        Assert.Contains("w-1", seen[1].AfterJson);
        Assert.StartsWith("key:test-super/", seen[1].Actor);

        // Resuming after the last revision received delivers only what committed since.
        var fourth = await Members("watch-panel", "admitted", ["w-3"]);
        Assert.Equal([fourth], (await ReadWatch(third, 1)).Select(c => c.Revision));
    }

    [Fact]
    public async Task Describe_principal_shows_grants_care_teams_and_the_client_registration()
    {
        var grant = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/dp-nurse", "Patient/dp-1"));
        var team = new PutCareTeamRequest { CareTeamId = "dp-team", SubjectPatientId = "dp-2", Status = "active", Reason = "episode" };
        team.Participants.Add("Practitioner/dp-nurse");
        await _admin.PutCareTeamAsync(team);

        var nurse = await _admin.DescribePrincipalAsync(new DescribePrincipalRequest { Principal = "Practitioner/dp-nurse" });
        Assert.Equal(grant.Grant.Id, Assert.Single(nurse.Grants).Id);
        Assert.Equal("dp-team", Assert.Single(nurse.CareTeams));
        Assert.Null(nurse.ClientRegistration);

        await _admin.PutClientRegistrationAsync(new PutClientRegistrationRequest
        {
            ClientId = "dp-app", Name = "Ward app", Status = "active", ScopeCeiling = "user/*.rs", Reason = "onboarding",
        });
        var body = await server.Host.Http.GetStringAsync("/v1/principals:describe?principal=Client/dp-app", TestContext.Current.CancellationToken);
        Assert.Equal("user/*.rs", JsonDocument.Parse(body).RootElement.GetProperty("clientRegistration").GetProperty("scopeCeiling").GetString());
    }

    private async Task<List<EntitlementChange>> ReadWatch(long after, int count)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        using var call = _admin.Watch(new WatchRequest { AfterRevision = after, Subject = "Group/watch-panel" }, cancellationToken: deadline.Token);
        var changes = new List<EntitlementChange>();
        while (changes.Count < count && await call.ResponseStream.MoveNext(deadline.Token))
        {
            changes.Add(call.ResponseStream.Current);
        }
        return changes;
    }
}
