using System.Text.Json;
using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, second round: requests permitted where the documented semantics (README,
/// "Request contract", "Consent, security labels, purpose of use, break-the-glass", "What works now")
/// say they must be denied. Each test asserts the fail-closed outcome; it fails while the hole is open.
/// </summary>
public sealed class ReviewHoleTests2(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string SystemClient = "rv2-sys";
    private const string Friend = "Practitioner/rv2-friend";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant($"Client/{SystemClient}", "*"));

        // rv2-o withholds everything (OPTOUT) except from one named practitioner and one organization.
        await _admin.PutConsentAsync(new PutConsentRequest
        {
            ConsentId = "rv2-optout-but", ConsentJson = OptOutExceptFor("rv2-optout-but", "rv2-o", Friend, "Organization/rv2-org"), Reason = "signed",
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string OptOutExceptFor(string id, string patient, params string[] actors)
    {
        var actorJson = string.Join(",", actors.Select(a =>
            "{\"role\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"PRCP\"}]},\"reference\":{\"reference\":\"" + a + "\"}}"));
        return $$$"""
            {"resourceType":"Consent","id":"{{{id}}}","status":"active",
             "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
             "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
             "patient":{"reference":"Patient/{{{patient}}}"},
             "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]},
             "provision":{"type":"deny","provision":[{"type":"permit","actor":[{{{actorJson}}}]}]}}
            """;
    }

    private static TokenContext Token(string scope, string? user, string client = Requests.TrustedClient) =>
        new() { ClientId = client, FhirUser = user ?? "", Scope = scope };

    private static CheckRequest Read(string type, string patient, TokenContext token, string id = "x1") => new()
    {
        Token = token, Interaction = Interaction.Read, ResourceType = type, ResourceId = id,
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patient } } },
    };

    private async Task<List<ImportProgress>> Import(string content)
    {
        using var call = _admin.Import(new ImportRequest { Format = "json", Content = content, Reason = "nightly sync from the EHR" });
        var progress = new List<ImportProgress>();
        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
            progress.Add(call.ResponseStream.Current);
        }
        return progress;
    }

    // ---- Consent actors of a system/ decision: the user's identities were never checked.

    [Fact]
    public async Task A_system_token_is_not_the_consent_actor_named_by_its_fhirUser()
    {
        // Baseline: the client alone is withheld from by rv2-o's OPTOUT.
        var alone = await _decisions.CheckAsync(Read("Observation", "rv2-o", Token("system/Observation.rs", null, SystemClient)));
        Assert.Equal(Outcome.Deny, alone.Outcome);

        // README: "A decision permitted by system/ scopes is cleared by the client's grants only, even when
        // the token names a fhirUser" — the user term never applied, so the user's identity is unverified
        // by any entitlement here; naming the one practitioner rv2-o trusts must not open her record to
        // a backend client.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", "rv2-o", Token("system/Observation.rs", Friend, SystemClient)));
    }

    [Fact]
    public async Task A_system_token_without_a_user_is_not_a_consent_actor_through_user_affiliations()
    {
        // user_affiliations are "the user's organizations and groups": a token with no user has none.
        var token = Token("system/Observation.rs", null, SystemClient);
        token.UserAffiliations.Add("Organization/rv2-org");
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Read("Observation", "rv2-o", token));
    }

    // ---- Panel Lists: a changes-mode List's deleted entry is a removal (FHIR List.entry.deleted).

    private static string PanelList(string id, string owner, string mode, IEnumerable<(string Patient, bool Deleted)> entries) => JsonSerializer.Serialize(new
    {
        resourceType = "List", id, status = "current", mode, title = $"{owner}'s patients", source = new { reference = $"Practitioner/{owner}" },
        entry = entries.Select(e => e.Deleted
            ? (object)new { deleted = true, item = new { reference = $"Patient/{e.Patient}" } }
            : new { item = new { reference = $"Patient/{e.Patient}" } }),
    });

    [Fact]
    public async Task A_patient_marked_deleted_in_a_changes_mode_panel_list_loses_the_panel_grant()
    {
        await Import(PanelList("rv2-panel", "rv2-gp", "working", [("rv2-p1", false), ("rv2-p2", false)]));
        var before = await _decisions.CheckAsync(Requests.ReadPatient("Practitioner/rv2-gp", "rv2-p1"));
        Assert.Equal(Outcome.Permit, before.Outcome);

        // FHIR R4 List.entry.deleted: "True if this item is marked as deleted in the list" (lst-2: only in
        // changes mode). The EHR says rv2-p1 left the panel; the import reads the entry as nothing at all.
        await Import(PanelList("rv2-panel", "rv2-gp", "changes", [("rv2-p1", true)]));

        await ReviewChecks.AssertNotPermittedAsync(_decisions, Requests.ReadPatient("Practitioner/rv2-gp", "rv2-p1"));
    }
}
