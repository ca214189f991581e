using System.Text.Json.Nodes;
using PermissionLayer.Storage.ApiKeys;
using PermissionLayer.Testing;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Cli.Tests.Admin;

/// <summary>
/// plctl's entitlement commands as a process against a real server: grant, grants, who-can-see,
/// import, watch, check (exit code = decision), revoke, and the exit codes scripts branch on.
/// </summary>
public sealed class AdminCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private string[] Server(string key) => ["--server", $"http://127.0.0.1:{fixture.Host.GrpcPort}", "--api-key", key];

    private static IEnumerable<string> Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task An_admin_session_from_grant_to_revoke()
    {
        var admin = Server(await fixture.Host.CreateKeyAsync("cli-admin", CallerRoles.Admin));
        var pep = Server(await fixture.Host.CreateKeyAsync("cli-pep-check", CallerRoles.Pep));

        var (code, output, error) = await Plctl.RunAsync("", ["grant", "Client/cli-adm-app", "*", "--actions", "cruds", "--reason", "in-house app", .. admin]);
        Assert.True(code == 0, error);
        (code, output, error) = await Plctl.RunAsync("", ["grant", "Practitioner/cli-adm-doc", "Patient/cli-adm-p", "--reason", "on the panel", .. admin]);
        Assert.True(code == 0, error);
        var grantId = JsonNode.Parse(output)!["grant"]!["id"]!.GetValue<string>();
        var revision = long.Parse(JsonNode.Parse(output)!["revision"]!.ToString());

        (code, output, _) = await Plctl.RunAsync("", ["grants", "Practitioner/cli-adm-doc", .. admin]);
        Assert.Equal(0, code);
        Assert.Contains(grantId, output);
        Assert.StartsWith("ID", output);

        (code, output, _) = await Plctl.RunAsync("", ["who-can-see", "cli-adm-p", "--output", "json", .. admin]);
        Assert.Equal(0, code);
        Assert.Contains(Lines(output), l => JsonNode.Parse(l)!["principal"]!.GetValue<string>() == "Practitioner/cli-adm-doc");

        string[] check = ["check", "--client", "cli-adm-app", "--user", "Practitioner/cli-adm-doc", "--scope", "user/Patient.rs"];
        (code, output, error) = await Plctl.RunAsync("", [.. check, "--read", "Patient/cli-adm-p", .. pep]);
        Assert.True(code == 0, error + output);
        Assert.StartsWith("PERMIT", output);
        (code, output, _) = await Plctl.RunAsync("", [.. check, "--read", "Patient/cli-adm-other", .. pep]);
        Assert.Equal(1, code);
        Assert.Contains("user.no-grant", output);

        (code, _, error) = await Plctl.RunAsync("", ["revoke", "Practitioner/cli-adm-doc", grantId, "--reason", "left", .. admin]);
        Assert.True(code == 0, error);
        (code, _, _) = await Plctl.RunAsync("", [.. check, "--read", "Patient/cli-adm-p", .. pep]);
        Assert.Equal(1, code);

        (code, output, _) = await Plctl.RunAsync("", ["watch", "--after", (revision - 1).ToString(), "--subject", "Practitioner/cli-adm-doc", "--limit", "2", .. admin]);
        Assert.Equal(0, code);
        Assert.Equal(["grant.created", "grant.revoked"], Lines(output).Select(l => JsonNode.Parse(l)!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Import_reads_a_file_reports_the_outcome_and_fails_with_exit_code_2_on_bad_input()
    {
        var admin = Server(await fixture.Host.CreateKeyAsync("cli-importer", CallerRoles.Admin));
        var file = Path.Combine(Path.GetTempPath(), $"cli-group-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {"resourceType":"Group","id":"cli-ward","active":true,"type":"person","actual":true,
             "member":[{"entity":{"reference":"Patient/cli-w1"}},{"entity":{"reference":"Patient/cli-w2"}}]}
            """, TestContext.Current.CancellationToken);
        try
        {
            var (code, output, error) = await Plctl.RunAsync("", ["import", file, "--reason", "ward roster", .. admin]);
            Assert.True(code == 0, error);
            var done = JsonNode.Parse(output)!;
            Assert.Equal("done", done["stage"]!.GetValue<string>());
            Assert.Equal("Group/cli-ward", done["resources"]![0]!["reference"]!.GetValue<string>());
            Assert.Contains("1/1 resources", error);

            await File.WriteAllTextAsync(file, """{"resourceType":"Group","id":"cli-ward","member":[{"entity":{"reference":"Practitioner/x"}}]}""",
                TestContext.Current.CancellationToken);
            (code, _, error) = await Plctl.RunAsync("", ["import", file, "--reason", "bad roster", .. admin]);
            Assert.Equal(2, code);
            Assert.Contains("InvalidArgument", error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_pep_key_cannot_grant_and_gets_exit_code_3()
    {
        var pep = Server(await fixture.Host.CreateKeyAsync("cli-pep-grant", CallerRoles.Pep));
        var (code, _, error) = await Plctl.RunAsync("", ["grant", "Practitioner/x", "Patient/y", "--reason", "r", .. pep]);
        Assert.Equal(3, code);
        Assert.Contains("PermissionDenied", error);
    }

    [Fact]
    public async Task Members_care_teams_clients_batches_and_describe_from_the_command_line()
    {
        var admin = Server(await fixture.Host.CreateKeyAsync("cli-entities", CallerRoles.Admin));
        var (code, output, error) = await Plctl.RunAsync("", ["members", "cli-ent-ward", "--add", "cli-e1", "cli-e2", "--reason", "roster", .. admin]);
        Assert.True(code == 0, error);
        Assert.NotNull(JsonNode.Parse(output)!["revision"]);

        (code, _, error) = await Plctl.RunAsync("", ["careteam", "cli-ent-team", "--subject", "cli-e3", "--participant", "Practitioner/cli-ent-nurse", "--reason", "episode", .. admin]);
        Assert.True(code == 0, error);
        (code, _, error) = await Plctl.RunAsync("", ["client", "cli-ent-app", "--name", "Ward app", "--scope-ceiling", "user/*.rs", "--reason", "onboarding", .. admin]);
        Assert.True(code == 0, error);
        (code, _, error) = await Plctl.RunAsync("", ["client", "cli-ent-app", "--name", "Ward app", "--scope-ceiling", "user/Bogus.rs", "--reason", "typo", .. admin]);
        Assert.Equal(2, code);
        Assert.Contains("scope_ceiling", error);

        var batch = Path.Combine(Path.GetTempPath(), $"cli-batch-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(batch, """
            {"changes":[
              {"createGrant":{"grant":{"principal":"Practitioner/cli-ent-nurse","target":"Group/cli-ent-ward","actions":"rs","reason":"ward"}}},
              {"changeGroupMembers":{"groupId":"cli-ent-ward","upsert":[{"patientId":"cli-e4"}],"reason":"admitted"}}]}
            """, TestContext.Current.CancellationToken);
        try
        {
            (code, output, error) = await Plctl.RunAsync("", ["apply", batch, .. admin]);
            Assert.True(code == 0, error);
            Assert.Equal(2, JsonNode.Parse(output)!["revisions"]!.AsArray().Count);
        }
        finally
        {
            File.Delete(batch);
        }

        (code, output, error) = await Plctl.RunAsync("", ["describe", "Practitioner/cli-ent-nurse", .. admin]);
        Assert.True(code == 0, error);
        var described = JsonNode.Parse(output)!;
        Assert.Equal("cli-ent-team", described["careTeams"]![0]!.GetValue<string>());
        Assert.Equal("Group/cli-ent-ward", described["grants"]![0]!["target"]!.GetValue<string>());
    }

    [Fact]
    public async Task Consent_put_and_withdraw_from_the_command_line()
    {
        var admin = Server(await fixture.Host.CreateKeyAsync("cli-consents", CallerRoles.Admin));
        var json = (await File.ReadAllTextAsync(Path.Combine(
                RepositoryLayout.Root, "tests", "PermissionLayer.Fhir.Tests", "Consents", "Fixtures", "consent-example-notOrg.json"),
                TestContext.Current.CancellationToken))
            .Replace("\"consent-example-notOrg\"", "\"cli-notorg\"").Replace("Patient/f001", "Patient/cli-c1");
        var file = Path.Combine(Path.GetTempPath(), $"cli-consent-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        try
        {
            var (code, output, error) = await Plctl.RunAsync("", ["consent", "put", file, "--reason", "signed at admission", .. admin]);
            Assert.True(code == 0, error);
            Assert.Equal("cli-c1", JsonNode.Parse(output)!["patientId"]!.GetValue<string>());
            (code, output, error) = await Plctl.RunAsync("", ["consent", "withdraw", "cli-notorg", "--patient", "cli-c1", "--reason", "changed their mind", .. admin]);
            Assert.True(code == 0, error);
            Assert.NotNull(JsonNode.Parse(output)!["revision"]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
