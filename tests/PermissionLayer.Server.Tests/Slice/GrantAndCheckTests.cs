using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Slice;

/// <summary>
/// The walking skeleton over real gRPC, a real silo and real PostgreSQL: an admin grant goes through
/// the practitioner's grain into PostgreSQL, and Check answers from it.
/// </summary>
public sealed class GrantAndCheckTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync() => await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Granted_patient_is_permitted_and_another_is_denied_naming_the_missing_entitlement()
    {
        var granted = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/A", "Patient/P"));
        Assert.True(granted.Revision > 0);

        var permit = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/A", "P"));
        Assert.Equal(Outcome.Permit, permit.Outcome);
        var userReason = Assert.Single(permit.Reasons, r => r.Term == Term.User);
        Assert.Equal("user.grant", userReason.Code);
        Assert.Contains(granted.Grant.Id, userReason.Source);
        Assert.True(permit.Revision >= granted.Revision);

        var deny = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/A", "Q"));
        Assert.Equal(Outcome.Deny, deny.Outcome);
        var denyReason = Assert.Single(deny.Reasons, r => r.Outcome == Outcome.Deny);
        Assert.Equal(Term.User, denyReason.Term);
        Assert.Equal("user.no-grant", denyReason.Code);
        // The patients a denied request concerns are not named to the requester (review 3): the source
        // says whose grants were asked, the audit which patient none reached.
        Assert.Equal("no grant of yours reaches every patient this data concerns", denyReason.Message);
        Assert.Equal("Practitioner/A", denyReason.Source);
    }

    [Fact]
    public async Task Grant_is_committed_to_postgres_before_it_is_acknowledged()
    {
        var granted = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/committed", "Patient/P1"));

        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var query = new Npgsql.NpgsqlCommand(
            "SELECT principal, target, actions FROM grants WHERE id = @id", connection);
        query.Parameters.AddWithValue("id", Guid.Parse(granted.Grant.Id));
        await using var reader = await query.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Practitioner/committed", reader.GetString(0));
        Assert.Equal("Patient/P1", reader.GetString(1));
        Assert.Equal("rs", reader.GetString(2));
    }

    [Fact]
    public async Task Revoked_grant_no_longer_permits_on_the_next_decision()
    {
        var granted = await _admin.CreateGrantAsync(Requests.Grant("Practitioner/revoker", "Patient/R"));
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/revoker", "R"))).Outcome);

        var revoked = await _admin.RevokeGrantAsync(new RevokeGrantRequest
        {
            GrantId = granted.Grant.Id, Principal = "Practitioner/revoker", Reason = "left the team",
        });
        Assert.True(revoked.Revision > granted.Revision);

        var after = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/revoker", "R"));
        Assert.Equal(Outcome.Deny, after.Outcome);
        Assert.True(after.Revision >= revoked.Revision);
    }

    [Theory]
    [InlineData("Practitioner/A", "Patient/P", "rx", "actions")]
    [InlineData("Practitioner/A", "Observation/P", "rs", "target type 'Observation'")]
    [InlineData("Doctor/A", "Patient/P", "rs", "principal type 'Doctor'")]
    [InlineData("Practitioner/A", "Patient/P", "", "actions")]
    public async Task Invalid_grant_is_rejected_naming_the_bad_field(string principal, string target, string actions, string named)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _admin.CreateGrantAsync(Requests.Grant(principal, target, actions)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(named, error.Status.Detail);
    }

    [Fact]
    public async Task Grant_without_reason_is_rejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _admin.CreateGrantAsync(Requests.Grant("Practitioner/A", "Patient/P", reason: " ")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("reason", error.Status.Detail);
    }

    [Fact]
    public async Task Revoking_an_unknown_grant_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _admin.RevokeGrantAsync(new RevokeGrantRequest
        {
            GrantId = Guid.NewGuid().ToString(), Principal = "Practitioner/nobody", Reason = "cleanup",
        }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Check_without_token_is_invalid_argument_naming_it()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _decisions.CheckAsync(new CheckRequest { Interaction = Interaction.Read, ResourceType = "Patient" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("token", error.Status.Detail);
    }

    [Fact]
    public async Task Min_revision_from_the_future_is_rejected()
    {
        var request = Requests.ReadPatient("Practitioner/A", "P");
        request.MinRevision = long.MaxValue / 2;
        var error = await Assert.ThrowsAsync<RpcException>(() => _decisions.CheckAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("min_revision", error.Status.Detail);
    }

    [Fact]
    public async Task Unknown_resource_type_is_invalid_argument_naming_it()
    {
        var request = Requests.ReadPatient("Practitioner/A", "P");
        request.ResourceType = "Observaton";
        var error = await Assert.ThrowsAsync<RpcException>(() => _decisions.CheckAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("resource_type", error.Status.Detail);
        Assert.Contains("Observaton", error.Status.Detail);
    }
}
