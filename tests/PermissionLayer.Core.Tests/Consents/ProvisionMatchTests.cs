using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;
using static PermissionLayer.Core.Tests.Consents.ConsentTrees;

namespace PermissionLayer.Core.Tests.Consents;

/// <summary>
/// One provision element against one request, as a table: whether it matches, does not, or may
/// (information the request lacks could make it match). Missing or unreadable information is never
/// a "no": a deny that may apply counts, a permit that may apply does not.
/// </summary>
public sealed class ProvisionMatchTests
{
    public enum Fit
    {
        No,
        Maybe,
        Yes,
    }

    private const string Loinc = "http://loinc.org|";
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";
    private const string ConfOld = "http://hl7.org/fhir/v3/Confidentiality|";
    private const string ConfOid = "urn:oid:2.16.840.1.113883.5.25|";
    private const string Act = "http://terminology.hl7.org/CodeSystem/v3-ActCode|";
    private const string ActOld = "http://hl7.org/fhir/v3/ActCode|";
    private const string ActOid = "urn:oid:2.16.840.1.113883.5.4|";

    public sealed record Case(string Name, ConsentProvision Provision, ConsentRequest Request, Fit Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly ConsentProvision LoincCode = Deny().Code(Loinc + "1234-5");
    private static readonly ConsentProvision PsyLabel = Deny().Label(Act + "PSY");
    private static readonly ConsentProvision UpToR = Permit().Label(Conf + "R");

    private static ConsentRequest Complete(ConsentRequest r) => r with { FactsComplete = true };

    public static readonly TheoryData<Case> Cases =
    [
        // Classes: data carries the resources inside it (review 9).
        new Case("class: a contained Observation in a DiagnosticReport", Deny().Class("Observation"), Complete(Request() with { ResourceType = "DiagnosticReport", CarriedTypes = ["Observation"] }), Fit.Maybe),
        new Case("class: every type of a Bundle named", Deny().Class("Bundle", "Observation"), Complete(Request() with { ResourceType = "Bundle", CarriedTypes = ["Observation"] }), Fit.Yes),
        new Case("class: a permit of the outer type only", Permit().Class("DiagnosticReport"), Complete(Request() with { ResourceType = "DiagnosticReport", CarriedTypes = ["Observation"] }), Fit.Maybe),
        new Case("class: another type, complete facts", Deny().Class("Condition"), Complete(Request() with { ResourceType = "DiagnosticReport", CarriedTypes = ["Observation"] }), Fit.No),
        // Periods: a bound given as a date names no time zone, so near it the period may cover now (review 7).
        new Case("period: date-only start 4 h after now", Deny() with { Period = new ConsentPeriod(Now.AddHours(4), null) { StartZoneless = true } }, Request(), Fit.Maybe),
        new Case("period: date-only end 5 h before now", Deny() with { Period = new ConsentPeriod(null, Now.AddHours(-5)) { EndZoneless = true } }, Request(), Fit.Maybe),
        new Case("period: date-only start 15 h before now", Deny() with { Period = new ConsentPeriod(Now.AddHours(-15), null) { StartZoneless = true } }, Request(), Fit.Yes),
        new Case("period: date-only end 15 h before now", Deny() with { Period = new ConsentPeriod(null, Now.AddHours(-15)) { EndZoneless = true } }, Request(), Fit.No),
        new Case("period: instant start 4 h after now", Deny() with { Period = new ConsentPeriod(Now.AddHours(4), null) }, Request(), Fit.No),
        new Case("data period: date-only end just before the record", Deny() with { DataPeriod = new ConsentPeriod(null, Now.AddHours(-1)) { EndZoneless = true } }, Complete(Request() with { RecordedAt = Now }), Fit.Maybe),
        // Codes: a bare code's system is unknown, so it may be the provision's.
        new Case("code: same system and code", LoincCode, Complete(Request(codes: [Loinc + "1234-5"])), Fit.Yes),
        new Case("code: bare data code, same code", LoincCode, Complete(Request(codes: ["1234-5"])), Fit.Maybe),
        new Case("code: data code explicitly without system, same code", LoincCode, Complete(Request(codes: ["|1234-5"])), Fit.Maybe),
        new Case("code: data coding without a code, same system", LoincCode, Complete(Request(codes: [Loinc])), Fit.Maybe),
        new Case("code: bare data code, other code", LoincCode, Complete(Request(codes: ["9999-9"])), Fit.No),
        new Case("code: other system, same code", LoincCode, Complete(Request(codes: ["http://snomed.info/sct|1234-5"])), Fit.No),
        new Case("code: provision without system matches any system", Deny().Code("1234-5"), Complete(Request(codes: [Loinc + "1234-5"])), Fit.Yes),
        new Case("code: provision in an alias system matches the canonical spelling", Deny().Code(ActOld + "PSY"), Complete(Request(codes: [Act + "PSY"])), Fit.Yes),
        new Case("code: incomplete facts without codes", LoincCode, Request(), Fit.Maybe),
        new Case("code: incomplete facts with other codes", LoincCode, Request(codes: [Loinc + "9999-9"]), Fit.Maybe),
        new Case("code: complete facts without codes", LoincCode, Complete(Request()), Fit.No),
        new Case("code: complete facts with other codes", LoincCode, Complete(Request(codes: [Loinc + "9999-9"])), Fit.No),

        // Sensitivity and other labels.
        new Case("label: canonical on both sides", PsyLabel, Complete(Request(labels: [Act + "PSY"])), Fit.Yes),
        new Case("label: provision in the old URL, data in the OID", Deny().Label(ActOld + "PSY"), Complete(Request(labels: [ActOid + "PSY"])), Fit.Yes),
        new Case("label: canonical provision, data in the OID", PsyLabel, Complete(Request(labels: [ActOid + "PSY"])), Fit.Yes),
        new Case("label: bare data label, same code", PsyLabel, Complete(Request(labels: ["PSY"])), Fit.Maybe),
        new Case("label: incomplete facts without labels", PsyLabel, Request(), Fit.Maybe),
        new Case("label: incomplete facts with other labels", PsyLabel, Request(labels: [Act + "HIV"]), Fit.Maybe),
        new Case("label: complete facts without labels", PsyLabel, Complete(Request()), Fit.No),
        new Case("label: complete facts with other labels", PsyLabel, Complete(Request(labels: [Act + "HIV"])), Fit.No),

        // Confidentiality is a high-water mark: R covers data whose highest confidentiality is R or lower.
        new Case("confidentiality: complete unlabelled data is N, within R", UpToR, Complete(Request()), Fit.Yes),
        new Case("confidentiality: complete R within R", UpToR, Complete(Request(labels: [Conf + "R"])), Fit.Yes),
        new Case("confidentiality: V in the old URL is above R", UpToR, Complete(Request(labels: [ConfOld + "V"])), Fit.No),
        new Case("confidentiality: V in the OID is above R", UpToR, Complete(Request(labels: [ConfOid + "V"])), Fit.No),
        new Case("confidentiality: provision in the OID reads as R", Permit().Label(ConfOid + "R"), Complete(Request(labels: [Conf + "R"])), Fit.Yes),
        new Case("confidentiality: provision in the OID, V above it", Permit().Label(ConfOid + "R"), Complete(Request(labels: [Conf + "V"])), Fit.No),
        new Case("confidentiality: an unknown code in the system reads as V", UpToR, Complete(Request(labels: [Conf + "X"])), Fit.No),
        new Case("confidentiality: incomplete unlabelled data may carry more", UpToR, Request(), Fit.Maybe),
        new Case("confidentiality: incomplete R may carry more", UpToR, Request(labels: [Conf + "R"]), Fit.Maybe),
        new Case("confidentiality: incomplete V is above R whatever else", UpToR, Request(labels: [Conf + "V"]), Fit.No),
        new Case("confidentiality: everything is within V", Permit().Label(Conf + "V"), Request(), Fit.Yes),
        new Case("confidentiality: a provision code off the scale is unknown", Deny().Label(Conf + "X"), Complete(Request(labels: [Conf + "N"])), Fit.Maybe),

        // Actors.
        new Case("actor: named", Deny().Actor("Practitioner/a"), Request(), Fit.Yes),
        new Case("actor: another", Deny().Actor("Practitioner/b"), Request(), Fit.No),
        new Case("actor: no actor known", Deny().Actor("Practitioner/a"), Request() with { Actors = new HashSet<string>() }, Fit.Maybe),
        new Case("actor: a versioned reference is the same resource", Deny().Actor("Practitioner/a"), Request(user: "Practitioner/a/_history/2"), Fit.Yes),
        new Case("actor: an absolute URL may be this server's", Deny().Actor("Practitioner/a"), Request(user: "https://ehr.example/fhir/Practitioner/a"), Fit.Maybe),
        new Case("actor: an absolute URL to another resource", Deny().Actor("Practitioner/a"), Request(user: "https://ehr.example/fhir/Practitioner/b"), Fit.No),

        // Actions.
        new Case("action: none known", Deny().Actions("access"), Request() with { Actions = new HashSet<string>() }, Fit.Maybe),
        new Case("action: another", Deny().Actions("collect"), Request(), Fit.No),
        // A PATCH answers with the whole resource: it is a correction and a read (review 7).
        new Case("action: a read named as use", Deny().Actions("use"), Request(), Fit.Yes),
        new Case("action: patch, deny of access", Deny().Actions("access"), Request() with { Actions = ConsentActions.Of(Interaction.Patch) }, Fit.Maybe),
        new Case("action: patch, permit of correct only", Permit().Actions("correct"), Request() with { Actions = ConsentActions.Of(Interaction.Patch) }, Fit.Maybe),
        new Case("action: patch, permit of correct and access", Permit().Actions("correct", "access"), Request() with { Actions = ConsentActions.Of(Interaction.Patch) }, Fit.Yes),
        new Case("action: update, deny of access", Deny().Actions("access"), Request() with { Actions = ConsentActions.Of(Interaction.Update) }, Fit.No),

        // Purposes.
        new Case("purpose: none stated", Deny().Purpose("HRESCH"), Request(purpose: ""), Fit.Maybe),
        new Case("purpose: with the ActReason system", Deny().Purpose("HRESCH"), Request(purpose: "http://terminology.hl7.org/CodeSystem/v3-ActReason|HRESCH"), Fit.Yes),
        new Case("purpose: with the ActReason OID", Deny().Purpose("HRESCH"), Request(purpose: "urn:oid:2.16.840.1.113883.5.8|HRESCH"), Fit.Yes),
        new Case("purpose: in another system", Deny().Purpose("HRESCH"), Request(purpose: "http://example.org/purposes|HRESCH"), Fit.Maybe),
        new Case("purpose: another ActReason code", Deny().Purpose("HRESCH"), Request(purpose: "http://terminology.hl7.org/CodeSystem/v3-ActReason|TREAT"), Fit.No),
        new Case("purpose: a specialisation (clinical trial research)", Deny().Purpose("HRESCH"), Request(purpose: "CLINTRCH"), Fit.Yes),
        new Case("purpose: a specialisation two levels down", Deny().Purpose("HRESCH"), Request(purpose: "PRECLINTRCH"), Fit.Yes),
        new Case("purpose: a code whose place in the hierarchy is unknown", Deny().Purpose("HRESCH"), Request(purpose: "SOMENEWCODE"), Fit.Maybe),

        // Classes.
        new Case("class: no resource type", Deny().Class("Observation"), Request(type: ""), Fit.Maybe),
        new Case("class: any resource type", Deny().Class("Observation"), Request(type: "*"), Fit.Maybe),
        new Case("class: another type", Deny().Class("Observation"), Request(type: "Condition"), Fit.No),

        // dataPeriod and data.
        new Case("dataPeriod: date unknown", Deny().RecordedDuring(Now.AddYears(-1), null), Request(), Fit.Maybe),
        new Case("dataPeriod: recorded before", Deny().RecordedDuring(Now.AddYears(-1), null), Request() with { RecordedAt = Now.AddYears(-2) }, Fit.No),
        new Case("data: reference unknown", Deny().Data("Observation/o1"), Request(), Fit.Maybe),
        new Case("data: empty reference", Deny().Data("Observation/o1"), Request() with { Reference = "" }, Fit.Maybe),
        new Case("data: the same resource, versioned", Deny().Data("Observation/o1"), Request() with { Reference = "Observation/o1/_history/3" }, Fit.Yes),
        new Case("data: an absolute URL may be this server's", Deny().Data("Observation/o1"), Request() with { Reference = "https://ehr.example/fhir/Observation/o1" }, Fit.Maybe),
        new Case("data: an unreadable reference", Deny().Data("Observation/o1"), Request() with { Reference = "urn:uuid:0b6b5c0e-4f5e-4d5f-9a8e-7c3f0e1d2c3b" }, Fit.Maybe),
        new Case("data: another resource", Deny().Data("Observation/o1"), Request() with { Reference = "Observation/o2" }, Fit.No),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Missing_or_unreadable_information_is_a_maybe_never_a_no(Case c)
    {
        var match = ProvisionMatch.Of(c.Provision, c.Request);

        var fit = match.Yes ? Fit.Yes : match.Maybe ? Fit.Maybe : Fit.No;
        Assert.Equal(c.Expected, fit);
        Assert.False(match.SensitivityOnly); // only a search can turn a label deny into an exclusion
    }

    [Fact]
    public void A_search_with_unknown_actions_does_not_reduce_a_label_deny_to_an_exclusion()
    {
        var request = Request(search: true) with { Actions = new HashSet<string>() };

        var match = ProvisionMatch.Of(PsyLabel.Actions("access"), request);

        Assert.True(match.Maybe);
        Assert.False(match.SensitivityOnly);
    }
}
