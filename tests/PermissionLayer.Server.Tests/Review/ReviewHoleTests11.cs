using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, eleventh round: requests permitted where the documented semantics (README,
/// "Request contract"; DESIGN.md §1 "fail closed") say they must be denied. Each test asserts the
/// fail-closed outcome; it fails while the hole is open.
/// </summary>
public sealed class ReviewHoleTests11(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string User = "Practitioner/rv11-user";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync() =>
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // ---- 1. (passes: suspicion refuted) A membership removal spelled otherwise than a patient id
    // ("Patient/x", " x", "Group/x", a versioned id) would match no row and, if acknowledged, leave the
    // patient a member reached through every grant on the Group while the admin believes access was
    // withdrawn. GroupMembersValidation checks only upserts, but the edge refuses such a removal
    // (INVALID_ARGUMENT "remove[0]: ... is not a FHIR id"), in ChangeGroupMembers, ApplyChanges and
    // ChangeOrganizationPatients alike. These tests guard that.

    public static TheoryData<string> OddRemovals => ["Patient/{0}", " {0}", "{0} ", "Group/{0}", "{0}/_history/1"];

    [Theory]
    [MemberData(nameof(OddRemovals))]
    public async Task A_group_member_removal_that_names_no_member_is_refused_not_acknowledged(string spelling)
    {
        var suffix = spelling.Select((c, i) => (i + 1) * c).Sum().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var group = $"rv11-ward-{suffix}";
        var patient = $"rv11-m-{suffix}";
        var user = $"{User}-{suffix}";
        var add = new ChangeGroupMembersRequest { GroupId = group, Reason = "roster" };
        add.Upsert.Add(new GroupMember { PatientId = patient });
        await _admin.ChangeGroupMembersAsync(add);
        await _admin.CreateGrantAsync(Requests.Grant(user, $"Group/{group}"));
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient(user, patient))).Outcome);

        var remove = new ChangeGroupMembersRequest { GroupId = group, Reason = "discharged" };
        remove.Remove.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, patient));
        try
        {
            await _admin.ChangeGroupMembersAsync(remove);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return; // refused, naming the removal: fail closed
        }
        // Acknowledged: then the patient must be gone.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Requests.ReadPatient(user, patient));
    }

    [Fact]
    public async Task A_batch_member_removal_that_names_no_member_is_refused_not_acknowledged()
    {
        const string group = "rv11-batch-ward";
        const string patient = "rv11-batch-m";
        var user = $"{User}-batch";
        var add = new ChangeGroupMembersRequest { GroupId = group, Reason = "roster" };
        add.Upsert.Add(new GroupMember { PatientId = patient });
        await _admin.ChangeGroupMembersAsync(add);
        await _admin.CreateGrantAsync(Requests.Grant(user, $"Group/{group}"));
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient(user, patient))).Outcome);

        var remove = new ChangeGroupMembersRequest { GroupId = group, Reason = "discharged" };
        remove.Remove.Add($"Patient/{patient}");
        var batch = new ApplyChangesRequest();
        batch.Changes.Add(new BatchChange { ChangeGroupMembers = remove });
        try
        {
            await _admin.ApplyChangesAsync(batch);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return;
        }
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Requests.ReadPatient(user, patient));
        var paths = (await _admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = patient })).Paths;
        Assert.DoesNotContain(paths, p => p.Via == $"Group/{group}");
    }

    [Fact]
    public async Task An_organization_patient_removal_that_names_no_member_is_refused_not_acknowledged()
    {
        const string organization = "rv11-org";
        const string patient = "rv11-org-m";
        var user = $"{User}-org";
        var add = new ChangeOrganizationPatientsRequest { OrganizationId = organization, Reason = "registered" };
        add.Upsert.Add(new GroupMember { PatientId = patient });
        await _admin.ChangeOrganizationPatientsAsync(add);
        await _admin.CreateGrantAsync(Requests.Grant(user, $"Organization/{organization}"));
        Assert.Equal(Outcome.Permit, (await _decisions.CheckAsync(Requests.ReadPatient(user, patient))).Outcome);

        var remove = new ChangeOrganizationPatientsRequest { OrganizationId = organization, Reason = "moved away" };
        remove.Remove.Add($"Patient/{patient}");
        try
        {
            await _admin.ChangeOrganizationPatientsAsync(remove);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return;
        }
        await ReviewChecks.AssertNotPermittedAsync(_decisions, Requests.ReadPatient(user, patient));
    }

    // ---- 2. (passes end to end: masked by the label term; latent in the consent term) Facts that say they may be incomplete (complete unset) and list no carried type are read as
    // carrying none: a consent that withholds the patient's Observations (by class) is a plain No for a
    // DiagnosticReport read from such facts (ElementFit.Classes: named == 0 is No whatever
    // FactsComplete), though the same DiagnosticReport as FHIR JSON with a contained Observation is denied.
    // e599b75 made this a maybe ("facts that may be incomplete may carry an unlisted type"); fc48c53
    // dropped it. The proto says a PEP "must list" carried types — but incomplete facts say they are
    // not everything; a missing fact must not read as "none" (issue 13, class 4).

    [Fact]
    public async Task Incomplete_facts_of_a_DiagnosticReport_are_not_read_past_a_consent_withholding_Observations()
    {
        const string patient = "rv11-noobs";
        var user = $"{User}-consent";
        // Clearance V: labels that may be missing are within it, so only the consent term can deny.
        var grant = Requests.Grant(user, $"Patient/{patient}", "rs");
        grant.Grant.Clearance = "V";
        await _admin.CreateGrantAsync(grant);
        await _admin.PutConsentAsync(ReviewChecks.Consent("rv11-noobs-consent", patient, "OPTIN",
            """{"type":"deny","class":[{"system":"http://hl7.org/fhir/resource-types","code":"Observation"}]}"""));
        var app = Requests.TrustClientForAllPatients("rv11-cleared-app");
        app.Grant.Clearance = "V";
        await _admin.CreateGrantAsync(app);
        var token = new TokenContext { ClientId = "rv11-cleared-app", FhirUser = user, Scope = "user/DiagnosticReport.rs user/Observation.rs" };
        // Baseline: her Observation is withheld.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, new CheckRequest
        {
            Token = token, Interaction = Interaction.Read, ResourceType = "Observation", ResourceId = "rv11-o",
            Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patient } } },
        });
        await ReviewChecks.AssertNotPermittedAsync(_decisions, new CheckRequest
        {
            Token = token, Interaction = Interaction.Read, ResourceType = "DiagnosticReport", ResourceId = "rv11-dr",
            Stored = new ResourceState { Facts = new ResourceFacts { Patients = { patient } } }, // complete unset: may carry more
        });
    }

    // ---- 3. A bare id in subject= is read as a patient (SearchQuery.TargetedPatients), but a FHIR server
    // reads subject=x as a reference to any type of id x: Observation.subject is Patient | Group |
    // Device | Location (Composition.subject: any). Conditional criteria subject=rv11-s&code=… are then
    // "confined to the patients they name" (conditional.confined passes) while the FHIR server runs
    // them, with no obligation, over Observations of Group/rv11-s, Device/rv11-s, Location/rv11-s too:
    // the 200-with-Location / 201 / 412 answer of If-None-Exist tells the user whether such data exists
    // and gives its id, though the user reaches only Patient/rv11-s. patient=rv11-s (a Patient-only
    // link) and subject=Patient/rv11-s are unambiguous; a bare subject id is not, and must be denied
    // (conditional.confined) or INVALID_ARGUMENT.

    private static CheckRequest ConditionalCreate(string user, string client, string query) => new()
    {
        Token = new TokenContext { ClientId = client, FhirUser = user, Scope = "user/Observation.crs" },
        Interaction = Interaction.Create,
        ResourceType = "Observation",
        Conditional = true,
        Query = query,
        Proposed = new ResourceState { FhirJson = """
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1234-5"}]},
             "subject":{"reference":"Patient/rv11-s"}}
            """ },
    };

    [Theory]
    [InlineData("subject=rv11-s&code=http://loinc.org|1234-5")]
    [InlineData("subject=rv11-s,rv11-s&code=http://loinc.org|1234-5")]
    public async Task Conditional_criteria_with_a_bare_subject_id_are_not_confined_to_that_patient(string criteria)
    {
        var user = $"{User}-cond";
        // Clearance V for user and client: a search of theirs excludes no label, so only the patients confine it.
        var grant = Requests.Grant(user, "Patient/rv11-s", "crs");
        grant.Grant.Clearance = "V";
        grant.Grant.SensitivityCategories.AddRange(PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal));
        await _admin.CreateGrantAsync(grant);
        var app = Requests.TrustClientForAllPatients("rv11-cond-app");
        app.Grant.Clearance = "V";
        app.Grant.SensitivityCategories.AddRange(PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal));
        await _admin.CreateGrantAsync(app);
        // Baseline: the unambiguous spellings are permitted (the set-up is right).
        foreach (var named in new[] { "patient=rv11-s&code=http://loinc.org|1234-5", "subject=Patient/rv11-s&code=http://loinc.org|1234-5" })
        {
            var baseline = await _decisions.CheckAsync(ConditionalCreate(user, "rv11-cond-app", named));
            Assert.True(baseline.Outcome == Outcome.Permit, named + ": " + ReviewChecks.Describe(baseline));
        }
        await ReviewChecks.AssertNotPermittedAsync(_decisions, ConditionalCreate(user, "rv11-cond-app", criteria));
    }
}
