using CsCheck;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Core.Tests.Consents;

namespace PermissionLayer.Core.Tests.Properties;

/// <summary>
/// One generated decision: the request and every snapshot it reads (grants of the client and the user,
/// set members and care teams, consents), with <see cref="Outcome"/> decided by <see cref="DecisionSnapshot.Decide"/>.
/// </summary>
internal sealed record DecisionCase(
    DecisionRequest Request, string Scope, IReadOnlyList<Grant> ClientGrants, IReadOnlyList<Grant> UserGrants, IReadOnlyList<string> UserTeams,
    IReadOnlyDictionary<GrantTarget, IReadOnlyList<Membership>> Sets, IReadOnlyDictionary<string, Team> Teams,
    IReadOnlyDictionary<string, IReadOnlyList<CompiledConsent>> Consents, ConsentPolicyRule DefaultRule)
{
    public static readonly DateTimeOffset At = ConsentTrees.Now;
    private static readonly ScopeParser Parser = new(new Types());

    /// <summary>PERMIT, DENY, or INVALID (the server's INVALID_ARGUMENT): only PERMIT lets the request through.</summary>
    public string Outcome() => Outcome(Request);

    /// <summary>The outcome of another request with this case's entitlements, groups and consents.</summary>
    public string Outcome(DecisionRequest request)
    {
        try
        {
            return Snapshot(request).Decide().Decision.Outcome == Core.Decisions.Outcome.Permit ? "PERMIT" : "DENY";
        }
        catch (RequestValidationException)
        {
            return "INVALID";
        }
    }

    /// <summary>Every snapshot <paramref name="request"/> reads in this case, for the server's composition to decide.</summary>
    public DecisionSnapshot Snapshot(DecisionRequest request)
    {
        var world = new EntitlementWorld(Sets, Teams);
        return new DecisionSnapshot
        {
            Request = request,
            Parser = Parser,
            At = At,
            Client = new EntitlementSnapshot(PrincipalRef.ForClient(request.Token.ClientId), new GrantBook(ClientGrants), []),
            User = request.Token.FhirUser is { } user ? new EntitlementSnapshot(PrincipalRef.Parse(user), new GrantBook(UserGrants), UserTeams) : null,
            Facts = (principal, asks, facts) => world.Answer(principal, At, asks, facts),
            Consents = patient => Consents.GetValueOrDefault(patient) ?? [],
            PatientsWithConsents = [.. Consents.Where(c => c.Value.Count > 0).Select(c => c.Key).Order(StringComparer.Ordinal)],
            DefaultRule = DefaultRule,
        };
    }

    public override string ToString() =>
        $"{Request.Interaction} {Request.ResourceType}/{Request.ResourceId} scope '{Scope}' purpose {Request.Token.PurposeOfUse} " +
        $"stored {Show(Request.Stored)} proposed {Show(Request.Proposed)}; client [{string.Join(", ", ClientGrants.Select(Show))}]; " +
        $"user {Request.Token.FhirUser} [{string.Join(", ", UserGrants.Select(Show))}] teams [{string.Join(",", UserTeams)}]; " +
        $"sets [{string.Join("; ", Sets.Select(s => $"{s.Key}: {string.Join(",", s.Value.Select(m => $"{m.Patient}{(m.End is null ? "" : "(ended)")}"))}"))}]; " +
        $"teams [{string.Join("; ", Teams.Select(t => $"{t.Key}: {t.Value.Subject}{(t.Value.InForce ? "" : " (not in force)")} {string.Join(",", t.Value.Participants.Select(p => p.Member + (p.PeriodEnd is null ? "" : "(ended)")))}"))}]; " +
        $"consents [{string.Join("; ", Consents.Select(c => $"{c.Key}: {ConsentShow.Show(c.Value)}"))}] default {DefaultRule}";

    private static string Show(ResourceFacts? f) => f is null ? "none" :
        $"{{patients {string.Join(",", f.Patients)} codes {string.Join(",", f.Code)} labels {string.Join(",", f.Security)}{(f.Complete ? " complete" : "")}}}";

    private static string Show(Grant g) =>
        $"{g.Target} {g.Actions.ToLetters()}{(g.RevokedAt is null ? "" : " revoked")}{(g.ValidUntil <= At ? " expired" : "")}" +
        $"{(g.Clearance is null ? "" : " " + g.Clearance)}{(g.SensitivityCategories.Count == 0 ? "" : " " + string.Join("+", g.SensitivityCategories))}{(g.BreakGlass ? " btg" : "")}";

    private sealed class Types : IResourceTypeCatalog
    {
        public bool IsKnown(string resourceType) => resourceType is "Patient" or "Observation" or "Practitioner";
    }
}

/// <summary>Generators of decision cases: small vocabularies, so that grants, sets, teams, consents and data overlap.</summary>
internal static class DecisionGen
{
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";
    private const string Act = "http://terminology.hl7.org/CodeSystem/v3-ActCode|";
    private const string Loinc = "http://loinc.org|";
    private static readonly DateTimeOffset At = DecisionCase.At;

    public const string User = "Practitioner/u";
    public static readonly string[] Patients = ["a", "b", "c"];
    private static readonly string[] Targets = ["*", "Patient/a", "Patient/b", "Patient/c", "Group/g1", "Organization/o1", "CareTeam/t1", "CareTeam/t2"];
    private static readonly string[] Labels = [Conf + "N", Conf + "N", Conf + "R", Conf + "V", Act + "HIV", "http://hl7.org/fhir/v3/Confidentiality|V"];
    private static readonly string[] Codes = [Loinc + "1234-5", "1234-5", Loinc + "9999-9"];

    private static readonly Gen<DateTimeOffset?> Bound = Gen.OneOfConst<DateTimeOffset?>(null, null, At.AddDays(-10), At.AddDays(10));

    public static Gen<Grant> GrantGen(string principal) =>
        from target in Gen.OneOfConst(Targets)
        from actions in Gen.OneOfConst(DataActions.Read | DataActions.Search, DataActions.All, DataActions.Read, DataActions.Create | DataActions.Read | DataActions.Update)
        from typed in Gen.Int[0, 4]
        from purposed in Gen.Int[0, 5]
        from clearance in Gen.OneOfConst<string?>(null, null, null, "R", "V")
        from hiv in Gen.Int[0, 4]
        from glass in Gen.Int[0, 4]
        from window in Gen.Int[0, 9]
        select new Grant
        {
            Id = Guid.NewGuid(), Principal = principal, Target = GrantTarget.Parse(target), Actions = actions,
            ResourceTypes = typed == 0 ? ["Patient"] : [],
            Purposes = purposed == 0 ? ["HRESCH"] : [],
            Clearance = clearance, SensitivityCategories = hiv == 0 ? ["HIV"] : [], BreakGlass = glass == 0,
            ValidFrom = window == 1 ? At.AddDays(1) : At.AddDays(-30),
            ValidUntil = window == 2 ? At : null,
            RevokedAt = window == 3 ? At.AddDays(-1) : null,
            Reason = "generated", GrantedBy = "test",
        };

    private static readonly Gen<Membership> MembershipGen =
        from patient in Gen.OneOfConst(Patients)
        from ended in Gen.Int[0, 4]
        select new Membership(patient, At.AddDays(-20), ended == 0 ? At.AddDays(-1) : null);

    private static readonly Gen<CareTeamParticipant> ParticipantGen =
        from member in Gen.OneOfConst(User, User, "Practitioner/other")
        from ended in Gen.Int[0, 4]
        select new CareTeamParticipant(member, At.AddDays(-20), ended == 0 ? At.AddDays(-1) : null);

    private static readonly Gen<Team> TeamGen =
        from subject in Gen.OneOfConst(Patients)
        from inForce in Gen.Int[0, 4]
        from participants in ParticipantGen.Array[0, 2]
        select new Team(subject, inForce != 0, participants);

    /// <summary>A provision's criterion, from the same vocabularies as the data and the requester.</summary>
    private static ConsentProvision Criterion(ConsentProvision p, int element, bool teamActors, bool carriedClasses = false) => element switch
    {
        9 when carriedClasses => p.Class("Condition"),
        1 => p.Actor(User),
        2 => p.Actor(teamActors ? "CareTeam/t1" : "Organization/o9"),
        3 => p.Class("Observation"),
        4 => p.Label(Conf + "R"),
        5 => p.Label(Act + "HIV"),
        6 => p.Code(Loinc + "1234-5"),
        7 => p.Purpose("HRESCH"),
        8 => p.Actions("correct"),
        _ => p,
    };

    /// <summary>
    /// A provision with up to two criteria; <paramref name="carriedClasses"/> adds a class (Condition) that
    /// only resources carried inside the Observations the cases read can have.
    /// </summary>
    public static Gen<ConsentProvision> ProvisionGen(bool deny, bool teamActors, bool carriedClasses = false) =>
        from first in Gen.Int[0, carriedClasses ? 9 : 8]
        from second in Gen.Int[0, 10]
        select Criterion(Criterion(deny ? ConsentTrees.Deny() : ConsentTrees.Permit(), first, teamActors, carriedClasses), second, teamActors, carriedClasses);

    private static Gen<ConsentProvision> TreeGen(bool teamActors, bool carriedClasses) =>
        from deny in Gen.Bool
        from node in ProvisionGen(deny, teamActors, carriedClasses)
        from children in Gen.Bool.SelectMany(d => ProvisionGen(d, teamActors, carriedClasses)).Array[0, 2]
        select node with { Children = children };

    private static Gen<IReadOnlyList<CompiledConsent>> ConsentsGen(string patient, bool teamActors, bool carriedClasses) =>
        Gen.Select(Gen.Bool, TreeGen(teamActors, carriedClasses).Array[0, 2]).Array[0, 2].Select(cs => (IReadOnlyList<CompiledConsent>)[.. cs.Select((c, i) =>
            ConsentTrees.Consent($"{patient}-c{i}", c.Item1 ? ConsentPolicyRule.OptIn : ConsentPolicyRule.OptOut, c.Item2) with { PatientId = patient })]);

    private static readonly Gen<ResourceFacts> FactsGen =
        from patients in Gen.Frequency((3, Gen.Int[0, 2].ArrayUnique[1]), (1, Gen.Int[0, 2].ArrayUnique[2]))
        from labels in Gen.Int[0, Labels.Length - 1].ArrayUnique[0, 1]
        from codes in Gen.Int[0, Codes.Length - 1].ArrayUnique[0, 2]
        from complete in Gen.Int[0, 3]
        select new ResourceFacts
        {
            Patients = [.. patients.Select(i => Patients[i])],
            Security = [.. labels.Select(i => Token.Parse(Labels[i]))],
            Code = [.. codes.Select(i => Token.Parse(Codes[i]))],
            Complete = complete != 0,
        };

    private static readonly Gen<DecisionRequest> RequestGen =
        from interaction in Gen.OneOfConst(Interaction.Read, Interaction.Read, Interaction.Update, Interaction.Delete, Interaction.Create)
        from stored in FactsGen
        from proposed in FactsGen
        from purpose in Gen.OneOfConst<string?>(null, "TREAT", "HRESCH", "BTG")
        from withUser in Gen.Int[0, 5]
        select new DecisionRequest
        {
            Token = new TokenContext
            {
                ClientId = "app", FhirUser = withUser == 0 ? null : User, Scope = "",
                PurposeOfUse = purpose, BreakGlassReason = purpose == "BTG" ? "patient unconscious" : null,
            },
            Interaction = interaction,
            ResourceType = "Observation",
            ResourceId = interaction == Interaction.Create ? null : "o1",
            Stored = interaction == Interaction.Create ? null : stored with { Reference = "Observation/o1" },
            Proposed = interaction is Interaction.Update or Interaction.Create ? proposed : null,
        };

    /// <summary>
    /// A search result's facts: an Observation of one to three patients (its compartment patient, a
    /// performer or focus), perhaps carrying a Condition or another Observation, with labels and codes.
    /// </summary>
    public static readonly Gen<ResourceFacts> ResultGen =
        from patients in Gen.Int[0, 2].ArrayUnique[1, 3]
        from carried in Gen.OneOfConst<string[]>([], [], ["Condition"], ["Observation"], ["Condition", "Observation"])
        from labels in Gen.Int[0, Labels.Length - 1].ArrayUnique[0, 2]
        from codes in Gen.Int[0, Codes.Length - 1].ArrayUnique[0, 2]
        from complete in Gen.Int[0, 5]
        select new ResourceFacts
        {
            Patients = [.. patients.Select(i => Patients[i])],
            CarriedTypes = carried,
            Security = [.. labels.Select(i => Token.Parse(Labels[i]))],
            Code = [.. codes.Select(i => Token.Parse(Codes[i]))],
            Complete = complete != 0,
            Reference = "Observation/o1",
        };

    public static Gen<DecisionCase> CaseGen(bool teamActors = true, bool carriedClasses = false) =>
        from request in RequestGen
        from scope in Gen.OneOfConst("user/Observation.cruds", "user/*.cruds", "system/Observation.cruds", "user/Observation.rs")
        from clientGrants in Gen.Frequency((2, Gen.Const<Grant[]>([Everyone("Client/app")])), (1, GrantGen("Client/app").Array[0, 3]))
        from userGrants in GrantGen(User).Array[1, 5]
        from userTeams in Gen.OneOfConst<string[]>([], ["t1"], ["t1", "t2"])
        from g1 in MembershipGen.Array[0, 3]
        from o1 in MembershipGen.Array[0, 2]
        from t1 in TeamGen
        from t2 in TeamGen
        from ca in ConsentsGen("a", teamActors, carriedClasses)
        from cb in ConsentsGen("b", teamActors, carriedClasses)
        from rule in Gen.Frequency((3, Gen.Const(ConsentPolicyRule.OptIn)), (1, Gen.Const(ConsentPolicyRule.OptOut)))
        select new DecisionCase(
            request with { Token = request.Token with { Scope = scope } }, scope, clientGrants, userGrants, userTeams,
            new Dictionary<GrantTarget, IReadOnlyList<Membership>> { [GrantTarget.Parse("Group/g1")] = g1, [GrantTarget.Parse("Organization/o1")] = o1 },
            new Dictionary<string, Team> { ["t1"] = t1, ["t2"] = t2 },
            new Dictionary<string, IReadOnlyList<CompiledConsent>> { ["a"] = ca, ["b"] = cb },
            rule);

    private static Grant Everyone(string principal) => new()
    {
        Id = Guid.NewGuid(), Principal = principal, Target = GrantTarget.Everyone, Actions = DataActions.All,
        ValidFrom = At.AddDays(-30), Reason = "trusted client", GrantedBy = "test",
    };
}
