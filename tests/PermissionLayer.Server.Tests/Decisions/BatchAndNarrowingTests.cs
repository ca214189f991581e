using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Decisions;

/// <summary>CheckBatch, fhirContext Group narrowing and the accessible-patients stream over the real stack.</summary>
public sealed class BatchAndNarrowingTests(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync() => await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task AddMembers(string group, IEnumerable<string> patients)
    {
        var request = new ChangeGroupMembersRequest { GroupId = group, Reason = "roster" };
        request.Upsert.AddRange(patients.Select(p => new GroupMember { PatientId = p }));
        await _admin.ChangeGroupMembersAsync(request);
    }

    private async Task<List<AccessiblePatientsPage>> Pages(TokenContext token, string cursor = "", int pageSize = 0)
    {
        using var call = _decisions.StreamAccessiblePatients(new AccessiblePatientsRequest { Token = token, Cursor = cursor, PageSize = pageSize });
        var pages = new List<AccessiblePatientsPage>();
        await foreach (var page in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            pages.Add(page);
        }
        return pages;
    }

    [Fact]
    public async Task Batch_gives_one_result_per_entry_and_a_bad_entry_does_not_fail_the_batch()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/batcher", "Patient/b1"));
        var batch = new CheckBatchRequest();
        batch.Entries.Add(Requests.ReadPatient("Practitioner/batcher", "b1"));
        batch.Entries.Add(Requests.ReadPatient("Practitioner/batcher", "b2"));
        batch.Entries.Add(new CheckRequest { Interaction = Interaction.Read, ResourceType = "Patient", ResourceId = "b1" });

        var response = await _decisions.CheckBatchAsync(batch);
        Assert.Equal(3, response.Results.Count);
        Assert.Equal(Outcome.Permit, response.Results[0].Decision.Outcome);
        Assert.Equal(Outcome.Deny, response.Results[1].Decision.Outcome);
        Assert.Equal("InvalidArgument", response.Results[2].Error.Code);
        Assert.Contains("entries[2]: token", response.Results[2].Error.Message);
    }

    [Fact]
    public async Task Oversize_batch_is_resource_exhausted()
    {
        var batch = new CheckBatchRequest();
        batch.Entries.AddRange(Enumerable.Range(0, 501).Select(i => Requests.ReadPatient("Practitioner/x", $"p{i}")));
        var error = await Assert.ThrowsAsync<RpcException>(() => _decisions.CheckBatchAsync(batch).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("501", error.Status.Detail);
    }

    [Fact]
    public async Task Fhir_context_group_narrows_a_user_token_to_that_group()
    {
        await AddMembers("ctx-cohort", ["cohort-1"]);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/wide", "*"));
        var inGroup = Requests.ReadPatient("Practitioner/wide", "cohort-1");
        inGroup.Token.FhirContext.Add("Group/ctx-cohort");
        var outside = Requests.ReadPatient("Practitioner/wide", "not-in-cohort");
        outside.Token.FhirContext.Add("Group/ctx-cohort");

        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(inGroup)).Outcome);
        var deny = await _decisions.CheckAsync(outside);
        Assert.Equal(Outcome.Deny, deny.Outcome);
        var reason = Assert.Single(deny.Reasons, r => r.Outcome == Outcome.Deny);
        Assert.Equal(Term.Request, reason.Term);
        Assert.Contains("Group/ctx-cohort", reason.Message);
        // Without the context the same user reaches the patient.
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/wide", "not-in-cohort"))).Outcome);
    }

    [Fact]
    public async Task Offline_practitioner_app_syncing_sees_exactly_its_panel()
    {
        foreach (var patient in new[] { "sync-c", "sync-a", "sync-b" })
        {
            await _admin.CreateGrantAsync(Requests.Grant("Practitioner/offline-doc", $"Patient/{patient}"));
        }
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/offline-doc", Scope = "user/*.rs" };
        var page = Assert.Single(await Pages(token));
        Assert.Equal(["sync-a", "sync-b", "sync-c"], page.PatientIds);
        Assert.True(page.Complete);
        Assert.False(page.AllPatients);
        Assert.Contains(page.GrantingSets, u => u.Term == Term.User && u.Sets.Contains("Practitioner/offline-doc#panel"));
        Assert.Contains(page.GrantingSets, u => u.Term == Term.Client && u.Sets.Contains("*"));
    }

    [Fact]
    public async Task Client_bounded_to_a_group_narrows_the_accessible_set_to_its_members()
    {
        await AddMembers("narrow-g", ["n-1", "n-2"]);
        await _admin.CreateGrantAsync(Requests.Grant("Client/narrow-app", "Group/narrow-g"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/narrow-doc", "Patient/n-2"));
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/narrow-doc", "Patient/n-3"));
        var token = new TokenContext { ClientId = "narrow-app", FhirUser = "Practitioner/narrow-doc", Scope = "user/*.rs" };
        var page = Assert.Single(await Pages(token));
        Assert.Equal(["n-2"], page.PatientIds);
        Assert.Contains(page.GrantingSets, u => u.Term == Term.Client && u.Sets.SequenceEqual(new[] { "Group/narrow-g" }));
    }

    [Fact]
    public async Task A_50000_patient_group_streams_completely_in_sorted_pages_and_resumes_from_a_cursor()
    {
        var members = Enumerable.Range(0, 50_000).Select(i => $"big-{i:D6}").ToList();
        await AddMembers("big-panel", members);
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/big-doc", "Group/big-panel"));
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/big-doc", Scope = "user/*.rs" };

        var pages = await Pages(token, pageSize: 5000);
        Assert.Equal(10, pages.Count);
        Assert.All(pages.SkipLast(1), p => Assert.False(p.Complete));
        Assert.True(pages[^1].Complete);
        Assert.Equal(members, pages.SelectMany(p => p.PatientIds));
        Assert.Contains(pages[0].GrantingSets, u => u.Sets.Contains("Group/big-panel"));

        var resumed = await Pages(token, cursor: pages[3].NextCursor, pageSize: 10_000);
        Assert.Equal(members.Skip(20_000), resumed.SelectMany(p => p.PatientIds));
        Assert.True(resumed[^1].Complete);
    }

    [Fact]
    public async Task Trusted_client_and_all_patients_user_reach_everyone_without_an_id_list()
    {
        await _admin.CreateGrantAsync(Requests.Grant("Practitioner/everyone-doc", "*"));
        var token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = "Practitioner/everyone-doc", Scope = "user/*.rs" };
        var page = Assert.Single(await Pages(token));
        Assert.True(page.AllPatients);
        Assert.True(page.Complete);
        Assert.Empty(page.PatientIds);
    }
}
