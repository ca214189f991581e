using Grpc.Core;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;
using Hl7.Fhir.Serialization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Fhir.Audit;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>Every decision path writes exactly one audit row with the right fields, and the audit API reads them back.</summary>
public sealed class DecisionAuditTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerHost Host => fixture.Host;
    private AdminService.AdminServiceClient Admin => new(Host.Channel);
    private DecisionService.DecisionServiceClient Decisions => new(Host.Channel);
    private AuditService.AuditServiceClient AuditApi => new(Host.Channel);

    [Fact]
    public async Task Check_permit_and_deny_each_write_one_row_with_the_decision_fields()
    {
        await Admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await Admin.CreateGrantAsync(Requests.Grant("Practitioner/audited-doc", "Patient/a-1"));
        var permitRequest = Requests.ReadPatient("Practitioner/audited-doc", "a-1");
        permitRequest.Token.PurposeOfUse = "TREAT";
        permitRequest.Token.Jti = "jti-permit-1";
        var permit = await Decisions.CheckAsync(permitRequest);
        var deny = await Decisions.CheckAsync(Requests.ReadPatient("Practitioner/audited-doc", "a-2"));
        Assert.Equal(Outcome.Permit, permit.Outcome);
        Assert.Equal(Outcome.Deny, deny.Outcome);

        var permitRow = await AuditTable.RowAsync(fixture.ConnectionString, permit.DecisionId);
        Assert.NotNull(permitRow);
        Assert.Equal("permit", permitRow["outcome"]);
        Assert.Equal(Requests.TrustedClient, permitRow["client_id"]);
        Assert.Equal("Practitioner/audited-doc", permitRow["fhir_user"]);
        Assert.Equal(new[] { "a-1" }, (string[])permitRow["patients"]!);
        Assert.Equal("read", permitRow["interaction"]);
        Assert.Equal("Patient", permitRow["resource_type"]);
        Assert.Equal("a-1", permitRow["resource_id"]);
        Assert.Equal("TREAT", permitRow["purpose_of_use"]);
        Assert.Equal("jti-permit-1", permitRow["jti"]);
        Assert.Equal(false, permitRow["break_glass"]);
        Assert.Null(permitRow["deciding_term"]);
        Assert.Equal(permit.Revision, permitRow["revision"]);
        Assert.StartsWith("key:test-super/", (string)permitRow["caller"]!);
        Assert.Contains("\"term\":\"user\"", (string)permitRow["reasons"]!);

        var denyRow = await AuditTable.RowAsync(fixture.ConnectionString, deny.DecisionId);
        Assert.NotNull(denyRow);
        Assert.Equal("deny", denyRow["outcome"]);
        Assert.Equal("user", denyRow["deciding_term"]);
        Assert.Equal(new[] { "a-2" }, (string[])denyRow["patients"]!);
        Assert.Equal(1, await AuditTable.CountAsync(fixture.ConnectionString, $"decision_id in ('{permit.DecisionId}', '{deny.DecisionId}') AND outcome = 'deny'"));
    }

    [Fact]
    public async Task Each_batch_entry_writes_one_row_and_a_rejected_entry_writes_none()
    {
        await Admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await Admin.CreateGrantAsync(Requests.Grant("Practitioner/batch-audited", "Patient/ba-1"));
        var before = await AuditTable.CountAsync(fixture.ConnectionString, "fhir_user = 'Practitioner/batch-audited'");
        var batch = new CheckBatchRequest();
        batch.Entries.Add(Requests.ReadPatient("Practitioner/batch-audited", "ba-1"));
        batch.Entries.Add(Requests.ReadPatient("Practitioner/batch-audited", "ba-2"));
        batch.Entries.Add(Requests.ReadPatient("Practitioner/batch-audited", "ba-3"));
        batch.Entries.Add(new CheckRequest { Interaction = Interaction.Read, ResourceType = "Patient", ResourceId = "ba-1" }); // no token: an error, not a decision
        var response = await Decisions.CheckBatchAsync(batch);

        var decided = response.Results.Where(r => r.Decision is not null).Select(r => r.Decision).ToList();
        Assert.Equal(3, decided.Count);
        Assert.NotNull(response.Results[3].Error);
        foreach (var (decision, patient) in decided.Zip(new[] { "ba-1", "ba-2", "ba-3" }))
        {
            var row = await AuditTable.RowAsync(fixture.ConnectionString, decision.DecisionId);
            Assert.NotNull(row);
            Assert.Equal(new[] { patient }, (string[])row["patients"]!);
            Assert.Equal(decision.Outcome == Outcome.Permit ? "permit" : "deny", row["outcome"]);
        }
        Assert.Equal(before + 3, await AuditTable.CountAsync(fixture.ConnectionString, "fhir_user = 'Practitioner/batch-audited'"));
    }

    [Fact]
    public async Task Queries_filter_by_patient_user_client_outcome_purpose_and_break_glass_and_resume_at_the_cursor()
    {
        await Admin.CreateGrantAsync(Requests.TrustClientForAllPatients("query-app"));
        await Admin.CreateGrantAsync(Requests.Grant("Practitioner/query-doc", "Patient/q-1"));
        var emergency = Requests.ReadPatient("Practitioner/query-doc", "q-1", clientId: "query-app");
        emergency.Token.PurposeOfUse = "BTG";
        emergency.Token.BreakGlassReason = "unconscious in ED";
        var ids = new List<string>
        {
            (await Decisions.CheckAsync(Requests.ReadPatient("Practitioner/query-doc", "q-1", clientId: "query-app"))).DecisionId,
            (await Decisions.CheckAsync(Requests.ReadPatient("Practitioner/query-doc", "q-2", clientId: "query-app"))).DecisionId,
            (await Decisions.CheckAsync(emergency)).DecisionId,
        };

        var byPatient = await ReadAllAsync(AuditApi.QueryDecisions(new DecisionQuery { Patient = "q-1" }));
        Assert.Equal([ids[0], ids[2]], byPatient.Select(r => r.DecisionId));
        var byUser = await ReadAllAsync(AuditApi.QueryDecisions(new DecisionQuery { FhirUser = "Practitioner/query-doc" }));
        Assert.Equal(ids, byUser.Select(r => r.DecisionId));
        var denies = await ReadAllAsync(AuditApi.QueryDecisions(new DecisionQuery { ClientId = "query-app", Outcome = Outcome.Deny }));
        Assert.Equal([ids[1]], denies.Select(r => r.DecisionId));
        var breakGlass = await ReadAllAsync(AuditApi.QueryDecisions(new DecisionQuery { BreakGlassOnly = true, PurposeOfUse = "BTG" }));
        var emergencyRow = Assert.Single(breakGlass);
        Assert.Equal(ids[2], emergencyRow.DecisionId);
        Assert.Equal("unconscious in ED", emergencyRow.BreakGlassReason);
        // The cursor of the first item resumes after it.
        var page = await ReadAllAsync(AuditApi.QueryDecisions(new DecisionQuery { FhirUser = "Practitioner/query-doc", Limit = 1 }));
        var rest = await ReadAllAsync(AuditApi.QueryDecisions(new DecisionQuery { FhirUser = "Practitioner/query-doc", Cursor = Assert.Single(page).Cursor }));
        Assert.Equal(ids.Skip(1), rest.Select(r => r.DecisionId));

        var report = await ReadAllAsync(AuditApi.PatientAccessReport(new PatientAccessReportRequest { Patient = "q-1" }));
        Assert.Equal(2, report.Count);
        Assert.All(report, e => Assert.Equal("Practitioner/query-doc", e.Who));
        Assert.Equal("read Patient/q-1", report[0].What);
        Assert.True(report[1].BreakGlass);
        Assert.Equal("BTG", report[1].PurposeOfUse);
    }

    [Fact]
    public async Task Exported_audit_events_parse_with_the_fhir_sdk_and_carry_agents_entities_and_outcome()
    {
        await Admin.CreateGrantAsync(Requests.TrustClientForAllPatients("export-app"));
        await Admin.CreateGrantAsync(Requests.Grant("Practitioner/export-doc", "Patient/x-1"));
        var permitRequest = Requests.ReadPatient("Practitioner/export-doc", "x-1", clientId: "export-app");
        permitRequest.Token.Jti = "jti-export";
        permitRequest.Token.PurposeOfUse = "TREAT";
        var permit = await Decisions.CheckAsync(permitRequest);
        var deny = await Decisions.CheckAsync(Requests.ReadPatient("Practitioner/export-doc", "x-2", clientId: "export-app"));

        var lines = await ReadAllAsync(AuditApi.ExportAuditEvents(new DecisionQuery { ClientId = "export-app" }));
        Assert.Equal(2, lines.Count);
        var parser = new FhirJsonDeserializer();
        var events = lines.Select(l => Assert.IsType<AuditEvent>(parser.DeserializeResource(l.Json))).ToList();
        Assert.All(lines, l => Assert.DoesNotContain('\n', l.Json));

        var permitted = events.Single(e => e.Id == permit.DecisionId);
        Assert.Equal("110113", permitted.Type.Code);
        Assert.Equal("AuthZ-Role", Assert.Single(permitted.Subtype).Code); // no consent was consulted
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, permitted.Outcome);
        Assert.Equal("TREAT", permitted.PurposeOfEvent.Single().Coding.Single().Code);
        var agentTypes = permitted.Agent.Select(a => a.Type!.Coding.Single().Code).ToList();
        Assert.Equal(["110150", "IRCP", "authserver"], agentTypes);
        Assert.Equal("export-app", permitted.Agent[0].Who!.Identifier!.Value);
        Assert.Equal("Practitioner/export-doc", permitted.Agent[1].Who!.Reference);
        Assert.True(permitted.Agent[1].Requestor);
        Assert.Equal(AuditEventMapping.ServiceDevice, permitted.Agent[2].Who!.Reference);
        Assert.Equal("Patient/x-1", permitted.Entity.Single(e => e.Role?.Code == "1").What!.Reference);
        Assert.Equal("urn:ietf:params:oauth:jti:jti-export", permitted.Entity.Single(e => e.Type?.Code == "UserOauthAgent").What!.Identifier!.Value);

        var denied = events.Single(e => e.Id == deny.DecisionId);
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, denied.Outcome);
        Assert.StartsWith("deny (user):", denied.OutcomeDesc);
        Assert.Equal("Patient/x-2", denied.Entity.Single(e => e.Role?.Code == "1").What!.Reference);
    }

    [Fact]
    public async Task Admin_writes_are_recorded_with_actor_reason_before_and_after()
    {
        var created = await Admin.CreateGrantAsync(Requests.Grant("Practitioner/changed-doc", "Patient/c-1", reason: "joins the ward"));
        await Admin.RevokeGrantAsync(new RevokeGrantRequest { Principal = "Practitioner/changed-doc", GrantId = created.Grant.Id, Reason = "left the ward" });
        var groupChange = new ChangeGroupMembersRequest { GroupId = "audited-group", Reason = "cohort" };
        groupChange.Upsert.Add(new Contracts.V1.GroupMember { PatientId = "c-2" });
        await Admin.ChangeGroupMembersAsync(groupChange);

        var changes = await ReadAllAsync(AuditApi.QueryAdminChanges(new AdminChangeQuery { Target = "Practitioner/changed-doc" }));
        Assert.Equal(["grant.created", "grant.revoked"], changes.Select(c => c.Operation));
        Assert.All(changes, c => Assert.StartsWith("key:test-super/", c.Actor));
        Assert.Equal("joins the ward", changes[0].Reason);
        Assert.Equal("", changes[0].BeforeJson);
        Assert.Contains(created.Grant.Id, changes[0].AfterJson);
        Assert.Equal("left the ward", changes[1].Reason);
        Assert.Contains(created.Grant.Id, changes[1].BeforeJson);
        Assert.Equal("", changes[1].AfterJson);
        var group = Assert.Single(await ReadAllAsync(AuditApi.QueryAdminChanges(new AdminChangeQuery { Operation = "group.members-changed", Target = "Group/audited-group" })));
        Assert.Equal("Group/audited-group", group.Target);
        Assert.Contains("c-2", group.AfterJson);
    }

    [Fact]
    public async Task The_audit_api_requires_the_auditor_role()
    {
        var pepKey = await Host.CreateKeyAsync("audit-pep", CallerRoles.Pep);
        using var pepChannel = Host.ChannelWith(pepKey);
        var asPep = new AuditService.AuditServiceClient(pepChannel);
        var verify = await Assert.ThrowsAsync<RpcException>(() => asPep.VerifyChainAsync(new VerifyChainRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, verify.StatusCode);
        var query = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(asPep.QueryDecisions(new DecisionQuery())));
        Assert.Equal(StatusCode.PermissionDenied, query.StatusCode);

        var auditorKey = await Host.CreateKeyAsync("audit-officer", CallerRoles.Auditor);
        using var auditorChannel = Host.ChannelWith(auditorKey);
        var asAuditor = new AuditService.AuditServiceClient(auditorChannel);
        Assert.True((await asAuditor.VerifyChainAsync(new VerifyChainRequest())).Intact);
    }

    internal static async Task<List<T>> ReadAllAsync<T>(AsyncServerStreamingCall<T> call)
    {
        using (call)
        {
            var items = new List<T>();
            await foreach (var item in call.ResponseStream.ReadAllAsync())
            {
                items.Add(item);
            }
            return items;
        }
    }
}
