using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Core.Tests.Consents;

namespace PermissionLayer.Core.Tests.Decisions;

/// <summary>
/// The server's composition over snapshots, for what it decides beyond named data: operations,
/// searches that name no patient, fhirContext groups, a Group-level export, the client's registration
/// and the accessible-patients stream. Each row is a fail-closed case: missing or unknown facts deny.
/// </summary>
public sealed class DecisionCompositionTests
{
    private static readonly DateTimeOffset At = ConsentTrees.Now;
    private static readonly ScopeParser Parser = new(new Types());
    private const string User = "Practitioner/u";

    /// <summary>Group g1 holds a (and held b until yesterday); the user's grants reach g1, b and c; no other group has members.</summary>
    private static IReadOnlyList<string> Members(string group, DateTimeOffset at) => group switch
    {
        "g1" => at < At.AddDays(-1) ? ["a", "b"] : ["a"],
        _ => [],
    };

    public static TheoryData<string, DecisionRequest, string, string?> Cases => new()
    {
        // name | request | outcome | deciding deny code
        { "read in the group", Read("a", "user/Observation.rs", "Group/g1"), "PERMIT", null },
        { "read of a patient whose membership ended", Read("b", "user/Observation.rs", "Group/g1"), "DENY", "context.outside-group" },
        { "read through an unknown group", Read("a", "user/Observation.rs", "Group/nobody"), "DENY", "context.outside-group" },
        { "untargeted search through an unknown group", Search("user/Observation.rs", "Group/nobody"), "DENY", "context.reaches-nobody" },
        { "untargeted search without groups", Search("user/Observation.rs"), "PERMIT", null },
        { "read of shared data without a patient", Read(null, "user/Observation.rs") with { Stored = new ResourceFacts { Complete = true } },
            "DENY", "compartment.no-patient" },
        // Operations are decided as what they do, against the scopes for that.
        { "$validate of a type the scopes lack", Operation("$validate", "Observation", null, "user/Patient.cruds") with { Proposed = Facts("a") },
            "DENY", "scope.missing" },
        { "$validate of a patient no grant reaches", Operation("$validate", "Observation", null, "user/*.cruds") with { Proposed = Facts("z") },
            "DENY", "user.no-grant" },
        { "$everything with scopes for every type", Operation("$everything", "Patient", "a", "user/*.rs"), "PERMIT", null },
        { "$everything of a patient no grant reaches", Operation("$everything", "Patient", "z", "user/*.rs"), "DENY", "user.no-grant" },
        { "an operation this service cannot check", Operation("$purge", "Patient", "a", "user/*.cruds"), "DENY", "operation.unsupported" },
        { "$export of an unknown group", Operation("$export", "Group", "nobody", "user/*.rs"), "DENY", "context.reaches-nobody" },
        { "$export of a group", Operation("$export", "Group", "g1", "user/*.rs"), "PERMIT", null },
        { "missing fhirUser for a user scope", Read("a", "user/Observation.rs") with { Token = Token("user/Observation.rs") with { FhirUser = null } },
            "DENY", "user.missing" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_fail_closed(string name, DecisionRequest request, string outcome, string? code)
    {
        var decision = Snapshot(request).Decide().Decision;
        Assert.True((outcome, code) == (decision.Outcome == Outcome.Permit ? "PERMIT" : "DENY", decision.DecidingDeny?.Code),
            $"{name}: {decision.Outcome} {decision.DecidingDeny?.Code} {decision.DecidingDeny?.Message}");
    }

    [Fact]
    public void An_operation_returns_only_the_types_the_scopes_cover()
    {
        var result = Snapshot(Operation("$everything", "Patient", "a", "user/Patient.rs")).Decide();
        Assert.Equal(Outcome.Permit, result.Decision.Outcome);
        Assert.Equal(["Patient"], result.Filter!.Types!);
        Assert.Equal(["a"], result.Patients!.Patients);
    }

    [Fact]
    public void A_group_export_is_confined_to_the_group_members_in_force()
    {
        var result = Snapshot(Operation("$export", "Group", "g1", "user/*.rs")).Decide();
        Assert.Equal(["a"], result.Patients!.Patients);
        Assert.False(result.Patients.Admits("b"), "b's membership ended");
    }

    [Theory]
    [InlineData("Client/other")]
    [InlineData("Practitioner")]
    [InlineData("practitioner/u")]
    public void A_fhirUser_that_is_no_user_is_invalid_naming_the_field_for_check_and_stream(string fhirUser)
    {
        var request = Read("a", "user/Observation.rs") with { Token = Token("user/Observation.rs") with { FhirUser = fhirUser } };
        var snapshot = Snapshot(request with { Token = request.Token with { FhirUser = null } }) with { Request = request };
        Assert.Equal("token.fhir_user", Assert.Throws<RequestValidationException>(() => snapshot.Decide()).Field);
        Assert.Equal("token.fhir_user", Assert.Throws<RequestValidationException>(() => snapshot.Accessible(Interaction.SearchType, "Observation")).Field);
    }

    [Fact]
    public void A_suspended_client_is_denied_and_reaches_nobody()
    {
        var snapshot = Snapshot(Read("a", "user/Observation.rs")) with { Registration = new ClientStanding(false, "suspended", "user/*.rs") };
        Assert.Equal("client.suspended", snapshot.Decide().Decision.DecidingDeny?.Code);
        var accessible = snapshot.Accessible(Interaction.SearchType, "Observation");
        Assert.False(accessible.AllPatients || accessible.Patients.Count > 0);
    }

    [Fact]
    public void The_stream_of_a_patient_launch_reaches_its_patient_only()
    {
        var request = Read("a", "patient/Observation.rs") with { Token = Token("patient/Observation.rs") with { LaunchPatient = "a" } };
        var snapshot = Snapshot(request, userGrants: [Grant(GrantTarget.Everyone)]);
        Assert.Equal(["a"], snapshot.Accessible(Interaction.SearchType, "Observation").Patients);
        Assert.Empty((snapshot with { Request = request with { Token = request.Token with { Scope = "openid fhirUser" } } })
            .Accessible(Interaction.SearchType, "Observation").Patients);
    }

    [Fact]
    public void The_stream_leaves_out_a_patient_whose_consent_denies()
    {
        var snapshot = Snapshot(Read("a", "user/Observation.rs"), userGrants: [Grant(GrantTarget.Parse("Patient/a")), Grant(GrantTarget.Parse("Patient/c"))]) with
        {
            Consents = p => p == "c" ? [ConsentTrees.Consent("c-deny", ConsentPolicyRule.OptIn, ConsentTrees.Deny())] : [],
            PatientsWithConsents = ["c"],
        };
        var accessible = snapshot.Accessible(Interaction.SearchType, "Observation");
        Assert.Equal(("a", "c"), (string.Join(",", accessible.Patients), string.Join(",", accessible.Withheld)));
    }

    /// <summary>
    /// Review 14: a conditional create's criteria may match a stored resource that concerns a patient
    /// beyond those they name (a performer); the FHIR server answers with that match. A permitted
    /// conditional write carries its criteria's search obligation, and the match is held to it.
    /// </summary>
    [Fact]
    public void A_conditional_write_holds_its_match_to_the_criteria_search_obligation()
    {
        var request = new DecisionRequest
        {
            Token = Token("user/Observation.crs"), Interaction = Interaction.Create, ResourceType = "Observation",
            Conditional = true, Query = "patient=b&code=x", Proposed = Facts("b"),
        };
        // Cleared for every label: a requester with less is conditional.confined (the criteria search excludes labels).
        var cleared = Grant(GrantTarget.Parse("Patient/b")) with
        {
            Clearance = "V", SensitivityCategories = PermissionLayer.Core.Labels.SensitivityCategory.Codes.Order(StringComparer.Ordinal).ToList(),
        };
        var result = Snapshot(request, userGrants: [cleared, Grant(GrantTarget.Parse("Patient/c"))]).Decide();
        Assert.True(result.Decision.Outcome == Outcome.Permit, $"{result.Decision.DecidingDeny?.Code} {result.Decision.DecidingDeny?.Message}");
        var obligation = ResultObligation.Of(result);
        Assert.NotNull(obligation);
        Assert.Equal(AdmissionOutcome.Admit, ObligationAdmission.Admit(obligation, "Observation", Facts("b") with { Reference = "Observation/m" }).Outcome);
        Assert.Equal(AdmissionOutcome.Deny, ObligationAdmission.Admit(obligation, "Observation",
            new ResourceFacts { Patients = ["b", "z"], Complete = true, Reference = "Observation/m" }).Outcome);
        Assert.Equal(AdmissionOutcome.Deny, ObligationAdmission.Admit(obligation, "Observation", Facts("c") with { Reference = "Observation/m" }).Outcome);
    }

    private static DecisionSnapshot Snapshot(DecisionRequest request, IReadOnlyList<Grant>? userGrants = null) => new()
    {
        Request = request,
        Parser = Parser,
        At = At,
        Client = new EntitlementSnapshot(PrincipalRef.ForClient("app"), new GrantBook([Grant(GrantTarget.Everyone, "Client/app")]), []),
        User = request.Token.FhirUser is null ? null
            : new EntitlementSnapshot(PrincipalRef.Parse(User), new GrantBook(userGrants ?? [Grant(GrantTarget.Parse("Group/g1")), Grant(GrantTarget.Parse("Patient/b")), Grant(GrantTarget.Parse("Patient/c"))]), []),
        Facts = (_, asks, facts) =>
        {
            foreach (var ask in asks.Sets)
            {
                var members = ask.Set is GrantTarget.Group g ? Members(g.Id, At) : [];
                facts = facts.WithSet(ask.Set, ask.Among, members.Where(m => ask.Among is null || ask.Among.Contains(m)));
            }
            foreach (var team in asks.TeamSubjects)
            {
                facts = facts.WithTeamSubject(team, null);
            }
            foreach (var team in asks.Participations)
            {
                facts = facts.WithParticipation(team, null);
            }
            return facts;
        },
        GroupMembers = Members,
        Consents = _ => [],
    };

    private static Grant Grant(GrantTarget target, string principal = User) => new()
    {
        Id = Guid.NewGuid(), Principal = principal, Target = target, Actions = DataActions.All,
        ValidFrom = At.AddDays(-30), Reason = "test", GrantedBy = "test",
    };

    private static TokenContext Token(string scope, params string[] context) =>
        new() { ClientId = "app", FhirUser = User, Scope = scope, FhirContext = context };

    private static DecisionRequest Read(string? patient, string scope, params string[] context) => new()
    {
        Token = Token(scope, context),
        Interaction = Interaction.Read,
        ResourceType = "Observation",
        ResourceId = "o1",
        Stored = (patient is null ? new ResourceFacts { Complete = true } : Facts(patient)) with { Reference = "Observation/o1" },
    };

    private static ResourceFacts Facts(string patient) => new() { Patients = [patient], Complete = true };

    private static DecisionRequest Search(string scope, params string[] context) => new()
    {
        Token = Token(scope, context), Interaction = Interaction.SearchType, ResourceType = "Observation",
    };

    private static DecisionRequest Operation(string name, string type, string? id, string scope) => new()
    {
        Token = Token(scope), Interaction = Interaction.Operation, ResourceType = type, ResourceId = id, Operation = name,
    };

    private sealed class Types : IResourceTypeCatalog
    {
        public bool IsKnown(string resourceType) => resourceType is "Patient" or "Observation" or "Group";
    }
}
