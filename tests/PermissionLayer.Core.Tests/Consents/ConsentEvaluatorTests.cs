using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using static PermissionLayer.Core.Tests.Consents.ConsentTrees;

namespace PermissionLayer.Core.Tests.Consents;

/// <summary>The consent term as a table: provision trees × requests → outcome and the deciding path.</summary>
public sealed class ConsentEvaluatorTests
{
    private const string Psy = "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY";
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";

    public sealed record Case(string Name, CompiledConsent[] Consents, ConsentRequest Request, Outcome Expected, string Source, ConsentPolicyRule Default = ConsentPolicyRule.OptIn)
    {
        public override string ToString() => Name;
    }

    private static readonly CompiledConsent NestedDenyInPermitInDeny = Consent("nested", ConsentPolicyRule.OptOut,
        Permit(Deny().Class("Observation")).Actor("Practitioner/a"));

    private static readonly CompiledConsent NotOrg = Consent("notOrg", ConsentPolicyRule.OptIn,
        Deny().Actor("Organization/f001").Actions("access", "correct"));

    private static readonly CompiledConsent CareTeamOnly = Consent("careteam", ConsentPolicyRule.OptOut, Permit().Actor("CareTeam/ct1"));

    private static readonly CompiledConsent ResearchOptOut = Consent("research", ConsentPolicyRule.OptIn, Deny().Purpose("HRESCH"));

    private static readonly CompiledConsent UpToRestricted = Consent("hwm", ConsentPolicyRule.OptOut, Permit().Label(Conf + "R"));

    private static readonly CompiledConsent PsyDenied = Consent("psy", ConsentPolicyRule.OptIn, Deny().Label(Psy));

    private static readonly CompiledConsent LoincDenied = Consent("code", ConsentPolicyRule.OptIn, Deny().Code("http://loinc.org|1234-5"));

    public static readonly TheoryData<Case> Cases =
    [
        new Case("opt-in base, no provision", [Consent("in", ConsentPolicyRule.OptIn)], Request(), Outcome.Permit, "Consent/in#policyRule"),
        new Case("opt-out base, no provision", [Consent("out", ConsentPolicyRule.OptOut)], Request(), Outcome.Deny, "Consent/out#policyRule"),
        new Case("no policyRule: deployment default opt-out", [Consent("none", null)], Request(), Outcome.Deny, "Consent/none#policyRule", ConsentPolicyRule.OptOut),
        new Case("no consent at all: deployment default opt-in", [], Request(), Outcome.Permit, ""),
        new Case("no consent at all: deployment default opt-out", [], Request(), Outcome.Deny, "", ConsentPolicyRule.OptOut),
        new Case("nested: permitted actor, other data", [NestedDenyInPermitInDeny], Request(type: "Condition"), Outcome.Permit, "Consent/nested#provision.provision[0]"),
        new Case("nested: deny inside permit decides", [NestedDenyInPermitInDeny], Request(type: "Observation"), Outcome.Deny, "Consent/nested#provision.provision[0].provision[0]"),
        new Case("nested: other actor falls to the opt-out base", [NestedDenyInPermitInDeny], Request(user: "Practitioner/b"), Outcome.Deny, "Consent/nested#policyRule"),
        new Case("actor by organization: member of f001", [NotOrg], Request(affiliations: ["Organization/f001"]), Outcome.Deny, "Consent/notOrg#provision.provision[0]"),
        new Case("actor by organization: other organization", [NotOrg], Request(affiliations: ["Organization/f002"]), Outcome.Permit, "Consent/notOrg#policyRule"),
        new Case("actor by organization: action not named (create = collect)", [NotOrg], Request(affiliations: ["Organization/f001"], interaction: Core.Requests.Interaction.Create), Outcome.Permit, "Consent/notOrg#policyRule"),
        new Case("actor by care team: on the team", [CareTeamOnly], Request(affiliations: ["CareTeam/ct1"]), Outcome.Permit, "Consent/careteam#provision.provision[0]"),
        new Case("actor by care team: not on the team", [CareTeamOnly], Request(affiliations: ["CareTeam/ct2"]), Outcome.Deny, "Consent/careteam#policyRule"),
        new Case("research opt-out: research purpose", [ResearchOptOut], Request(purpose: "HRESCH"), Outcome.Deny, "Consent/research#provision.provision[0]"),
        new Case("research opt-out: treatment purpose", [ResearchOptOut], Request(purpose: "TREAT"), Outcome.Permit, "Consent/research#policyRule"),
        new Case("high-water mark: unlabelled is normal, within R", [UpToRestricted], Request() with { FactsComplete = true }, Outcome.Permit, "Consent/hwm#provision.provision[0]"),
        new Case("high-water mark: R within R", [UpToRestricted], Request(labels: [Conf + "R"]) with { FactsComplete = true }, Outcome.Permit, "Consent/hwm#provision.provision[0]"),
        new Case("high-water mark: incomplete labels may hide a V, the permit does not count", [UpToRestricted], Request(labels: [Conf + "R"]), Outcome.Deny, "Consent/hwm#policyRule"),
        new Case("high-water mark: V in an alias system is above R", [UpToRestricted], Request(labels: ["http://hl7.org/fhir/v3/Confidentiality|V"]) with { FactsComplete = true }, Outcome.Deny, "Consent/hwm#policyRule"),
        new Case("high-water mark: an unknown confidentiality code is read as V", [UpToRestricted], Request(labels: [Conf + "Z"]) with { FactsComplete = true }, Outcome.Deny, "Consent/hwm#policyRule"),
        new Case("high-water mark: V above R", [UpToRestricted], Request(labels: [Conf + "N", Conf + "V"]), Outcome.Deny, "Consent/hwm#policyRule"),
        new Case("expired consent does not apply", [Consent("old", ConsentPolicyRule.OptOut, new ConsentPeriod(null, Now.AddDays(-1)))], Request(), Outcome.Permit, ""),
        new Case("future consent does not apply", [Consent("new", ConsentPolicyRule.OptOut, new ConsentPeriod(Now.AddDays(1), null))], Request(), Outcome.Permit, ""),
        new Case("consent whose date-only end was 5 h ago may still apply: its deny counts", [Consent("dz", ConsentPolicyRule.OptOut, new ConsentPeriod(null, Now.AddHours(-5)) { EndZoneless = true })], Request(), Outcome.Deny, "Consent/dz#policyRule"),
        new Case("consent whose date-only start is in 4 h may already apply: its deny counts", [Consent("dz", ConsentPolicyRule.OptOut, new ConsentPeriod(Now.AddHours(4), null) { StartZoneless = true })], Request(), Outcome.Deny, "Consent/dz#policyRule"),
        new Case("consent whose date-only end was 15 h ago no longer applies", [Consent("dz", ConsentPolicyRule.OptOut, new ConsentPeriod(null, Now.AddHours(-15)) { EndZoneless = true })], Request(), Outcome.Permit, ""),
        new Case("expired provision does not match", [Consent("p", ConsentPolicyRule.OptIn, Deny().During(null, Now.AddHours(-1)))], Request(), Outcome.Permit, "Consent/p#policyRule"),
        new Case("two consents in conflict: deny overrides", [Consent("a", ConsentPolicyRule.OptIn), NotOrg], Request(affiliations: ["Organization/f001"]), Outcome.Deny, "Consent/notOrg#provision.provision[0]"),
        new Case("siblings in conflict: deny overrides", [Consent("s", ConsentPolicyRule.OptOut, Permit().Class("Condition"), Deny().Actor("Practitioner/a"))], Request(), Outcome.Deny, "Consent/s#provision.provision[1]"),
        new Case("search: sensitivity-only deny becomes an exclusion", [PsyDenied], Request(search: true), Outcome.Permit, "Consent/psy#policyRule"),
        new Case("search: code-dependent deny counts (fail closed)", [Consent("code", ConsentPolicyRule.OptIn, Deny().Code("http://loinc.org|1234-5"))], Request(search: true), Outcome.Deny, "Consent/code#provision.provision[0]"),
        new Case("search: code-dependent permit is not counted", [Consent("code", ConsentPolicyRule.OptOut, Permit().Code("http://loinc.org|1234-5"))], Request(search: true), Outcome.Deny, "Consent/code#policyRule"),
        new Case("read: code matches", [Consent("code", ConsentPolicyRule.OptIn, Deny().Code("http://loinc.org|1234-5"))], Request(codes: ["http://loinc.org|1234-5"]), Outcome.Deny, "Consent/code#provision.provision[0]"),
        new Case("read: PSY-labelled data denied", [PsyDenied], Request(labels: [Psy]), Outcome.Deny, "Consent/psy#provision.provision[0]"),
        new Case("read: PSY label in the ActCode OID denied", [PsyDenied], Request(labels: ["urn:oid:2.16.840.1.113883.5.4|PSY"]) with { FactsComplete = true }, Outcome.Deny, "Consent/psy#provision.provision[0]"),
        new Case("read: bare PSY label may be the denied one", [PsyDenied], Request(labels: ["PSY"]) with { FactsComplete = true }, Outcome.Deny, "Consent/psy#provision.provision[0]"),
        new Case("read: labels not known to be complete may include PSY", [PsyDenied], Request(), Outcome.Deny, "Consent/psy#provision.provision[0]"),
        new Case("read: complete facts without PSY", [PsyDenied], Request() with { FactsComplete = true }, Outcome.Permit, "Consent/psy#policyRule"),
        new Case("read: bare code may be the denied LOINC code", [LoincDenied], Request(codes: ["1234-5"]) with { FactsComplete = true }, Outcome.Deny, "Consent/code#provision.provision[0]"),
        new Case("read: bare code does not count for a LOINC permit", [Consent("code", ConsentPolicyRule.OptOut, Permit().Code("http://loinc.org|1234-5"))], Request(codes: ["1234-5"]) with { FactsComplete = true }, Outcome.Deny, "Consent/code#policyRule"),
        new Case("read: codes not known to be complete may include the denied one", [LoincDenied], Request(codes: ["http://loinc.org|9999-9"]), Outcome.Deny, "Consent/code#provision.provision[0]"),
        new Case("read: complete facts without the denied code", [LoincDenied], Request(codes: ["http://loinc.org|9999-9"]) with { FactsComplete = true }, Outcome.Permit, "Consent/code#policyRule"),
        new Case("read: no purpose stated may be research", [ResearchOptOut], Request(purpose: ""), Outcome.Deny, "Consent/research#provision.provision[0]"),
        new Case("read: no actor known may be the organization", [NotOrg], Request() with { Actors = new HashSet<string>() }, Outcome.Deny, "Consent/notOrg#provision.provision[0]"),
        new Case("read: an unreadable resource reference may be the denied one", [Consent("notThis", ConsentPolicyRule.OptIn, Deny().Data("DocumentReference/d1"))], Request() with { Reference = "https://ehr.example/fhir/DocumentReference/d1" }, Outcome.Deny, "Consent/notThis#provision.provision[0]"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Deepest_matching_provision_decides_and_deny_overrides(Case c)
    {
        var verdict = ConsentEvaluator.Evaluate("p1", c.Consents, c.Request, c.Default);

        Assert.Equal(c.Expected, verdict.Reason.Outcome);
        Assert.Equal(DecisionTerm.Consent, verdict.Reason.Term);
        Assert.Equal(c.Source, verdict.Reason.Source ?? "");
    }

    [Fact]
    public void Search_excludes_the_labels_a_sensitivity_deny_names()
    {
        var verdict = ConsentEvaluator.Evaluate("p1", [PsyDenied], Request(search: true), ConsentPolicyRule.OptIn);

        Assert.True(verdict.Permitted);
        Assert.Equal(
            [Psy, "http://hl7.org/fhir/v3/ActCode|PSY", "urn:oid:2.16.840.1.113883.5.4|PSY", "|PSY"],
            verdict.ExcludedLabels);
    }

    [Fact]
    public void Inactive_consents_are_ignored()
    {
        var draft = Consent("draft", ConsentPolicyRule.OptOut) with { Status = "draft" };

        var verdict = ConsentEvaluator.Evaluate("p1", [draft], Request(), ConsentPolicyRule.OptIn);

        Assert.Equal("consent.none", verdict.Reason.Code);
    }

    [Fact]
    public void Deny_reason_names_the_consent_and_provision()
    {
        var verdict = ConsentEvaluator.Evaluate("p1", [NotOrg], Request(affiliations: ["Organization/f001"]), ConsentPolicyRule.OptIn);

        Assert.Contains("Consent/notOrg", verdict.Reason.Message);
        Assert.Contains("Organization/f001", verdict.Reason.Message);
        Assert.Contains("provision.provision[0]", verdict.Reason.Message);
    }
}
