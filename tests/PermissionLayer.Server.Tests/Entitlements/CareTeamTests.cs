using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>Care-team-derived entitlements over the real stack, including changes seen by the next decision.</summary>
public sealed class CareTeamTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync() => await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<PutCareTeamResponse> PutTeam(string id, string subject, string status, params string[] participants)
    {
        var request = new PutCareTeamRequest { CareTeamId = id, SubjectPatientId = subject, Status = status, Reason = "care plan" };
        request.Participants.AddRange(participants);
        return _admin.PutCareTeamAsync(request).ResponseAsync;
    }

    private async Task<Outcome> Check(string user, string patient, Interaction interaction = Interaction.Read)
    {
        var request = Requests.ReadPatient(user, patient, scope: "user/Patient.cruds");
        request.Interaction = interaction;
        if (interaction is Interaction.Update or Interaction.Patch)
        {
            request.Proposed = request.Stored;
        }
        return (await _decisions.CheckAsync(request)).Outcome;
    }

    [Fact]
    public async Task Participant_reaches_the_subject_while_the_team_is_active()
    {
        await PutTeam("ct-1", "ct-subject-1", "active", "Practitioner/nurse-1", "Practitioner/dietitian-1");
        var permit = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/nurse-1", "ct-subject-1"));
        Assert.Equal(Outcome.Permit, permit.Outcome);
        Assert.Contains("CareTeam/ct-1", Assert.Single(permit.Reasons, r => r.Term == Term.User).Message);
        Assert.Equal(Outcome.Deny, await Check("Practitioner/nurse-1", "another-patient"));

        await PutTeam("ct-1", "ct-subject-1", "inactive", "Practitioner/nurse-1", "Practitioner/dietitian-1");
        Assert.Equal(Outcome.Deny, await Check("Practitioner/nurse-1", "ct-subject-1"));
    }

    [Fact]
    public async Task Joining_and_leaving_are_seen_by_the_next_decision()
    {
        await PutTeam("ct-2", "ct-subject-2", "active", "Practitioner/gp-2");
        Assert.Equal(Outcome.Deny, await Check("Practitioner/physio-2", "ct-subject-2"));

        await PutTeam("ct-2", "ct-subject-2", "active", "Practitioner/gp-2", "Practitioner/physio-2");
        Assert.Equal(Outcome.Permit, await Check("Practitioner/physio-2", "ct-subject-2"));

        await PutTeam("ct-2", "ct-subject-2", "active", "Practitioner/gp-2");
        Assert.Equal(Outcome.Deny, await Check("Practitioner/physio-2", "ct-subject-2"));
        Assert.Equal(Outcome.Permit, await Check("Practitioner/gp-2", "ct-subject-2"));
    }

    [Fact]
    public async Task Participation_does_not_extend_to_delete()
    {
        await PutTeam("ct-3", "ct-subject-3", "active", "Practitioner/member-3");
        Assert.Equal(Outcome.Permit, await Check("Practitioner/member-3", "ct-subject-3", Interaction.Update));
        Assert.Equal(Outcome.Deny, await Check("Practitioner/member-3", "ct-subject-3", Interaction.Delete));
    }

    [Fact]
    public async Task A_grant_to_a_care_team_reaches_its_subject()
    {
        await PutTeam("ct-4", "ct-subject-4", "active", "Practitioner/lead-4");
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/pharmacist", "CareTeam/ct-4"));
        Assert.Equal(Outcome.Permit, await Check("Practitioner/pharmacist", "ct-subject-4"));
    }

    [Theory]
    [InlineData("ct-bad", "subject", "finished", "status")]
    [InlineData("ct-bad", "bad subject", "active", "subject")]
    public async Task Invalid_care_team_is_rejected_naming_the_field(string id, string subject, string status, string named)
    {
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => PutTeam(id, subject, status, "Practitioner/x"));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(named, error.Status.Detail);
    }
}
