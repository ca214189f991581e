using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Entitlements;

/// <summary>
/// The user and client terms over real gRPC, silo and PostgreSQL: groups, clients bounded to a
/// group, patient users, and membership changes seen by the next decision.
/// </summary>
public sealed class EntitlementScenarioTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    private async Task<long> AddMembers(string group, params string[] patients)
    {
        var request = new ChangeGroupMembersRequest { GroupId = group, Reason = "test roster" };
        request.Upsert.AddRange(patients.Select(p => new GroupMember { PatientId = p }));
        return (await _admin.ChangeGroupMembersAsync(request)).Revision;
    }

    private async Task<Outcome> Read(string user, string patient, string client = Requests.TrustedClient) =>
        (await _decisions.CheckAsync(Requests.ReadPatient(user, patient, clientId: client))).Outcome;

    [Fact]
    public async Task Group_grant_reaches_members_only()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await AddMembers("ward-7", "w7-a", "w7-b");
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/ward-nurse", "Group/ward-7"));

        var permit = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/ward-nurse", "w7-a"));
        Assert.Equal(Outcome.Permit, permit.Outcome);
        Assert.Contains("member of Group/ward-7", Assert.Single(permit.Reasons, r => r.Term == Term.User).Message);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/ward-nurse", "outsider"));
    }

    [Fact]
    public async Task Client_bounded_to_a_group_cannot_reach_a_patient_outside_it_even_when_the_user_can()
    {
        await AddMembers("g9245", "in-group");
        await _admin.CreateGrantAsync(Requests.Grant("Client/g9245-app", "Group/g9245"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/broad", "*"));

        Assert.Equal(Outcome.Permit, await Read("Practitioner/broad", "in-group", client: "g9245-app"));
        var deny = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/broad", "not-in-group", clientId: "g9245-app"));
        Assert.Equal(Outcome.Deny, deny.Outcome);
        var reason = Assert.Single(deny.Reasons, r => r.Outcome == Outcome.Deny);
        Assert.Equal(Term.Client, reason.Term);
        Assert.Equal("Client/g9245-app", reason.Source); // the message names no patient (review 3)
        Assert.Contains(deny.Reasons, r => r.Term == Term.User && r.Outcome == Outcome.Permit);
    }

    [Fact]
    public async Task Unregistered_client_is_denied_by_the_client_term()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/has-panel", "Patient/panel-1"));
        var deny = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/has-panel", "panel-1", clientId: "unknown-app"));
        Assert.Equal(Outcome.Deny, deny.Outcome);
        Assert.Equal(Term.Client, Assert.Single(deny.Reasons, r => r.Outcome == Outcome.Deny).Term);
    }

    [Fact]
    public async Task Membership_change_is_seen_by_the_next_decision()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/cardio", "Group/cardio-clinic"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/cardio", "new-patient"));

        var added = await AddMembers("cardio-clinic", "new-patient");
        var afterAdd = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/cardio", "new-patient"));
        Assert.Equal(Outcome.Permit, afterAdd.Outcome);
        Assert.True(afterAdd.Revision >= added);

        var removal = new ChangeGroupMembersRequest { GroupId = "cardio-clinic", Reason = "discharged" };
        removal.Remove.Add("new-patient");
        await _admin.ChangeGroupMembersAsync(removal);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/cardio", "new-patient"));
    }

    [Fact]
    public async Task Patient_user_reaches_their_own_compartment_only()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        Assert.Equal(Outcome.Permit, await Read("Patient/portal-pat", "portal-pat"));
        Assert.Equal(Outcome.Deny, await Read("Patient/portal-pat", "someone-else"));
    }

    [Fact]
    public async Task Client_registered_for_g9245_with_user_observation_scope_reaches_its_members_only()
    {
        await AddMembers("g9245-obs", "obs-member");
        await _admin.CreateGrantAsync(Requests.Grant("Client/g9245-obs-app", "Group/g9245-obs"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/sees-more", "*"));
        CheckRequest ReadObservation(string patient)
        {
            var request = new CheckRequest
            {
                Token = new TokenContext { ClientId = "g9245-obs-app", FhirUser = "Practitioner/sees-more", Scope = "user/Observation.rs" },
                Interaction = Interaction.Read,
                ResourceType = "Observation",
                ResourceId = "obs-" + patient,
                Stored = new ResourceState { Facts = new ResourceFacts { Complete = true } },
            };
            request.Stored.Facts.Patients.Add(patient);
            return request;
        }
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(ReadObservation("obs-member"))).Outcome);
        var deny = await _decisions.CheckAsync(ReadObservation("obs-outsider"));
        Assert.Equal(Outcome.Deny, deny.Outcome);
        Assert.Equal(Term.Client, Assert.Single(deny.Reasons, r => r.Outcome == Outcome.Deny).Term);
    }

    [Fact]
    public async Task Organization_grant_reaches_the_organizations_patients_and_follows_their_changes()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        var affiliate = new ChangeOrganizationPatientsRequest { OrganizationId = "north-clinic", Reason = "managed patients" };
        affiliate.Upsert.Add(new GroupMember { PatientId = "north-1" });
        affiliate.Upsert.Add(new GroupMember { PatientId = "north-2" });
        await _admin.ChangeOrganizationPatientsAsync(affiliate);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/north-gp", "Organization/north-clinic"));

        var permit = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/north-gp", "north-1"));
        Assert.Equal(Outcome.Permit, permit.Outcome);
        Assert.Contains("Organization/north-clinic", Assert.Single(permit.Reasons, r => r.Term == Term.User).Message);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/north-gp", "south-1"));

        var leave = new ChangeOrganizationPatientsRequest { OrganizationId = "north-clinic", Reason = "moved away" };
        leave.Remove.Add("north-2");
        await _admin.ChangeOrganizationPatientsAsync(leave);
        Assert.Equal(Outcome.Deny, await Read("Practitioner/north-gp", "north-2"));
        // A Group with the organization's id is a different set.
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/group-gp", "Group/north-clinic"));
        Assert.Equal(Outcome.Deny, await Read("Practitioner/group-gp", "north-1"));
    }

    [Fact]
    public async Task Organization_id_is_validated_by_name()
    {
        var bad = new ChangeOrganizationPatientsRequest { OrganizationId = "north/clinic", Reason = "x" };
        var error = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await _admin.ChangeOrganizationPatientsAsync(bad));
        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("organization_id", error.Status.Detail);
    }
}
