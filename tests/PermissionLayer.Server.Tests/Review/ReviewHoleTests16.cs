using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Slice;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>
/// Adversarial review, sixteenth round: a conditional reference (<c>Patient?…</c>, FHIR's "conditional
/// references" in a transaction; HAPI resolves them in plain creates too) names a patient only once the
/// FHIR server runs its search. PatientReferenceResolver looks for <c>://</c> before it looks for
/// <c>?</c>, so a conditional reference whose query holds a URL is read as another server's absolute
/// URL, typed by its last two segments: <c>Patient?_id=b&amp;_tag:not=http://x/Practitioner/y</c> is "a
/// Practitioner elsewhere", certainly not a patient. An Observation whose subject is that reference
/// and a reached patient as its performer (alone, it is <c>compartment.no-patient</c>) is then data of
/// the performer only, and its create is permitted, while the FHIR server files it in Patient/b's record (and its 201-or-412 answer tells whether b matches any
/// search the writer likes: <c>_has:Condition:patient:code=…</c>).
/// </summary>
public sealed class ReviewHoleTests16(ServerFixture server) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private const string User = "Practitioner/rv16-user";
    private const string Granted = "rv16-a";
    private const string Other = "rv16-b";

    private readonly AdminService.AdminServiceClient _admin = new(server.Host.Channel);
    private readonly DecisionService.DecisionServiceClient _decisions = new(server.Host.Channel);

    public async ValueTask InitializeAsync()
    {
        await _admin.CreateGrantAsync(Requests.TrustClientForAllPatients());
        await _admin.CreateGrantAsync(Requests.Grant(User, $"Patient/{Granted}", "cruds"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static CheckRequest CreateObservation(string subject) => new()
    {
        Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = "user/Observation.cruds" },
        Interaction = Interaction.Create,
        ResourceType = "Observation",
        Proposed = new ResourceState
        {
            FhirJson = $$$"""
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                 "subject":{"reference":"{{{subject}}}"},
                 "performer":[{"reference":"Patient/{{{Granted}}}"}]}
                """,
        },
    };

    [Fact]
    public async Task Baseline_the_user_creates_for_the_granted_patient_and_not_for_the_other()
    {
        var granted = await _decisions.CheckAsync(CreateObservation($"Patient/{Granted}"));
        Assert.True(granted.Outcome == Outcome.Permit, ReviewChecks.Describe(granted));
        await ReviewChecks.AssertNotPermittedAsync(_decisions, CreateObservation($"Patient/{Other}"));
        // A conditional reference without "://" is unresolved today: the control for the cases below.
        await ReviewChecks.AssertNotPermittedAsync(_decisions, CreateObservation($"Patient?_id={Other}"));
    }

    [Theory]
    [InlineData("Patient?_id=rv16-b&_tag:not=http://x.example/Practitioner/y")]
    [InlineData("Patient?identifier=http://hospital.example/Practitioner/mrn|12345")]
    [InlineData("Patient?_id=rv16-b&_profile:not=http://x.example/StructureDefinition/y")]
    [InlineData("Patient?_id=rv16-b&_has:Condition:patient:code=http://snomed.info/sct|86406008&_tag:not=http://x.example/Practitioner/y")]
    public async Task A_conditional_reference_holding_a_url_is_not_read_as_another_servers_resource(string subject)
    {
        await ReviewChecks.AssertNotPermittedAsync(_decisions, CreateObservation(subject));
    }

    /// <summary>A Task is in no patient's compartment: its <c>for</c> counts only when it names a patient, and this one is "a Practitioner".</summary>
    [Fact]
    public async Task A_task_for_a_conditional_reference_is_not_data_of_nobody()
    {
        var task = new CheckRequest
        {
            Token = new TokenContext { ClientId = Requests.TrustedClient, FhirUser = User, Scope = "user/Task.cruds" },
            Interaction = Interaction.Create,
            ResourceType = "Task",
            Proposed = new ResourceState
            {
                FhirJson = """
                    {"resourceType":"Task","status":"requested","intent":"order",
                     "for":{"reference":"Patient?_id=rv16-b&_tag:not=http://x.example/Practitioner/y"}}
                    """,
            },
        };
        await ReviewChecks.AssertNotPermittedAsync(_decisions, task);
    }
}
