using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing.Server;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;

namespace PermissionLayer.Cli.Tests.Audit;

/// <summary><c>plctl audit ...</c> against a real server: queries, the patient report, the export and chain verification.</summary>
public sealed class AuditCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Queries_report_export_and_verify_from_the_command_line()
    {
        var host = fixture.Host;
        var admin = new AdminService.AdminServiceClient(host.Channel);
        await admin.CreateGrantAsync(Grant("Client/cli-app", "*", "trusted"));
        await admin.CreateGrantAsync(Grant("Practitioner/cli-doc", "Patient/cli-1", "on the panel"));
        var decisions = new DecisionService.DecisionServiceClient(host.Channel);
        var permit = await decisions.CheckAsync(Read("cli-1"));
        var deny = await decisions.CheckAsync(Read("cli-2"));
        var auditor = await host.CreateKeyAsync("cli-auditor", CallerRoles.Auditor);
        string[] server = ["--server", $"http://127.0.0.1:{host.GrpcPort}", "--api-key", auditor];

        var (code, output, error) = await Plctl.RunAsync("", ["audit", "decisions", "--user", "Practitioner/cli-doc", .. server]);
        Assert.True(code == 0, error);
        var rows = Lines(output).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([permit.DecisionId, deny.DecisionId], rows.Select(r => r["decisionId"]!.GetValue<string>()));
        (code, output, _) = await Plctl.RunAsync("", ["audit", "decisions", "--user", "Practitioner/cli-doc", "--outcome", "deny", .. server]);
        Assert.Equal(0, code);
        Assert.Equal(deny.DecisionId, JsonNode.Parse(Assert.Single(Lines(output)))!["decisionId"]!.GetValue<string>());

        (code, output, error) = await Plctl.RunAsync("", ["audit", "report", "--patient", "cli-2", .. server]);
        Assert.True(code == 0, error);
        var entry = JsonNode.Parse(Assert.Single(Lines(output)))!;
        Assert.Equal("Practitioner/cli-doc", entry["who"]!.GetValue<string>());
        Assert.Equal("OUTCOME_DENY", entry["outcome"]!.GetValue<string>());

        (code, output, error) = await Plctl.RunAsync("", ["audit", "export", "--client", "cli-app", .. server]);
        Assert.True(code == 0, error);
        var events = Lines(output).Select(l => Assert.IsType<AuditEvent>(new FhirJsonDeserializer().DeserializeResource(l))).ToList();
        Assert.Equal([AuditEvent.AuditEventOutcome.N0, AuditEvent.AuditEventOutcome.N4], events.Select(e => e.Outcome));

        (code, output, error) = await Plctl.RunAsync("", ["audit", "verify", .. server]);
        Assert.True(code == 0, error + output);
        Assert.True(JsonNode.Parse(output)!["intact"]!.GetValue<bool>());

        (code, output, error) = await Plctl.RunAsync("", ["audit", "admin-changes", "--target", "Practitioner/cli-doc", .. server]);
        Assert.True(code == 0, error);
        Assert.Equal("grant.created", JsonNode.Parse(Assert.Single(Lines(output)))!["operation"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_break_glass_decision_is_listed_reviewed_and_its_review_queried_from_the_command_line()
    {
        var host = fixture.Host;
        // Flagged for review whether or not it lifted anything (here it is denied: no grant); another
        // user and client than the other tests', whose queries count cli-doc's and cli-app's decisions.
        var emergency = Read("cli-bg");
        emergency.Token.FhirUser = "Practitioner/cli-bg-doc";
        emergency.Token.ClientId = "cli-bg-app";
        emergency.Token.PurposeOfUse = "BTG";
        emergency.Token.BreakGlassReason = "cardiac arrest";
        var decision = await new DecisionService.DecisionServiceClient(host.Channel).CheckAsync(emergency);
        var auditor = await host.CreateKeyAsync("cli-reviewer", CallerRoles.Auditor);
        string[] server = ["--server", $"http://127.0.0.1:{host.GrpcPort}", "--api-key", auditor];

        var (code, output, error) = await Plctl.RunAsync("", ["audit", "break-glass", .. server]);
        Assert.True(code == 0, error);
        Assert.Contains(Lines(output), l => JsonNode.Parse(l)!["decisionId"]!.GetValue<string>() == decision.DecisionId);

        (code, _, error) = await Plctl.RunAsync("", ["audit", "review", decision.DecisionId, "--verdict", "maybe", "--note", "x", .. server]);
        Assert.Equal(2, code);
        (code, output, error) = await Plctl.RunAsync("", ["audit", "review", decision.DecisionId, "--verdict", "justified", "--note", "arrest on the ward", .. server]);
        Assert.True(code == 0, error);
        Assert.Equal("BREAK_GLASS_VERDICT_JUSTIFIED", JsonNode.Parse(output)!["verdict"]!.GetValue<string>());
        (code, _, error) = await Plctl.RunAsync("", ["audit", "review", decision.DecisionId, "--verdict", "unjustified", "--note", "again", .. server]);
        Assert.Equal(3, code); // a review is final: FAILED_PRECONDITION
        Assert.Contains("FailedPrecondition", error);

        (code, output, error) = await Plctl.RunAsync("", ["audit", "reviews", "--decision", decision.DecisionId, .. server]);
        Assert.True(code == 0, error);
        var review = JsonNode.Parse(Assert.Single(Lines(output)))!;
        Assert.Equal("arrest on the ward", review["note"]!.GetValue<string>());
        Assert.StartsWith("key:cli-reviewer/", review["reviewer"]!.GetValue<string>());
        (code, output, _) = await Plctl.RunAsync("", ["audit", "break-glass", .. server]);
        Assert.Equal(0, code);
        Assert.DoesNotContain(Lines(output), l => JsonNode.Parse(l)!["decisionId"]!.GetValue<string>() == decision.DecisionId);
    }

    [Fact]
    public async Task A_key_without_the_auditor_role_is_refused()
    {
        var pep = await fixture.Host.CreateKeyAsync("cli-pep", CallerRoles.Pep);
        var (code, _, error) = await Plctl.RunAsync("", "audit", "verify", "--server", $"http://127.0.0.1:{fixture.Host.GrpcPort}", "--api-key", pep);
        Assert.Equal(3, code);
        Assert.Contains("PermissionDenied", error);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static CreateGrantRequest Grant(string principal, string target, string reason) =>
        new() { Grant = new Grant { Principal = principal, Target = target, Actions = "rs", Reason = reason } };

    private static CheckRequest Read(string patient) => new()
    {
        Token = new TokenContext { ClientId = "cli-app", FhirUser = "Practitioner/cli-doc", Scope = "user/Patient.rs" },
        Interaction = Interaction.Read,
        ResourceType = "Patient",
        ResourceId = patient,
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patient } } },
    };
}
