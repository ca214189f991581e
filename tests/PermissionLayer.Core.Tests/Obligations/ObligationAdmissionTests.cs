using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Obligations;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Tests.Obligations;

/// <summary>
/// The result-level rule of a search obligation, as a table: each row is a result a read of the same
/// token would deny (or could not decide from what it carries), which the obligation must not admit,
/// and the plain results it must admit.
/// </summary>
public sealed class ObligationAdmissionTests
{
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";
    private const string Act = "http://terminology.hl7.org/CodeSystem/v3-ActCode|";

    /// <summary>user/Observation.rs, reaching a and b (c is withheld by consent), at clearance N.</summary>
    private static readonly ResultObligation Base = new()
    {
        Filter = new SearchFilter([new SearchFilterBranch("user/Observation.rs", ScopeContext.User, "Observation", null, [])], null),
        Patients = new ResultPatients(false, Set("a", "b"), Set("c"), Complete: true),
        ExcludedLabels = LabelPolicy.Excluded(Clearance.Default),
        Clearance = Clearance.Default,
    };

    /// <summary>The same reach, for user/Patient.rs.</summary>
    private static readonly ResultObligation PatientSearch = Base with
    {
        Filter = new SearchFilter([new SearchFilterBranch("user/Patient.rs", ScopeContext.User, "Patient", null, [])], null),
    };

    public static TheoryData<string, ResultObligation, string, ResourceFacts, AdmissionOutcome, string?> Cases => new()
    {
        // name | obligation | result type | result facts | outcome | code
        { "a plain result of an admitted patient", Base, "Observation", Facts("a"), AdmissionOutcome.Admit, null },
        // A Patient result is in its own compartment (review 13: Patient/b linking to a was admitted as a's).
        { "a Patient result of an admitted patient", PatientSearch, "Patient", Facts("a") with { Reference = "Patient/a" }, AdmissionOutcome.Admit, null },
        { "a Patient result whose facts list only the patient it links to", PatientSearch, "Patient", Facts("a") with { Reference = "Patient/b" },
            AdmissionOutcome.Deny, "result.patients" },
        { "a Patient result that does not say which Patient it is", PatientSearch, "Patient", Facts("a"), AdmissionOutcome.Deny, "result.reference" },
        { "a result that also references another, unadmitted patient (performer, focus)", Base, "Observation", Facts("a", "z"),
            AdmissionOutcome.Deny, "result.patient-not-admitted" },
        { "a result whose second patient is withheld by consent", Base, "Observation", Facts("a", "c"),
            AdmissionOutcome.Deny, "result.patient-not-admitted" },
        { "a result of a patient the inline lists cannot tell about", Base with { Patients = new ResultPatients(false, Set(), Set(), false) },
            "Observation", Facts("a"), AdmissionOutcome.NeedsCheck, "result.patients-unknown" },
        { "every patient, exclusions not inline", Base with { Patients = new ResultPatients(true, Set(), Set(), false) },
            "Observation", Facts("a"), AdmissionOutcome.NeedsCheck, "result.patients-unknown" },
        { "every patient, exclusions inline", Base with { Patients = new ResultPatients(true, Set(), Set("c"), true) },
            "Observation", Facts("a", "z"), AdmissionOutcome.Admit, null },
        { "a carried resource of a patient whose consent may withhold it", Base with { CarriedCheckPatients = ["a"] },
            "Observation", Facts("a") with { CarriedTypes = ["Condition"] }, AdmissionOutcome.NeedsCheck, "result.carried-check" },
        { "a carried resource, every carrier to be checked", Base with { CarriedCheckAll = true },
            "Observation", Facts("b") with { CarriedTypes = ["Condition"] }, AdmissionOutcome.NeedsCheck, "result.carried-check" },
        { "a carried resource of another patient", Base with { CarriedCheckPatients = ["a"] },
            "Observation", Facts("b") with { CarriedTypes = ["Condition"] }, AdmissionOutcome.Admit, null },
        { "a carrier-checked patient's result that carries nothing", Base with { CarriedCheckPatients = ["a"] },
            "Observation", Facts("a"), AdmissionOutcome.Admit, null },
        { "confidentiality above the clearance", Base, "Observation", Labelled("a", Conf + "R"), AdmissionOutcome.Deny, "labels.confidentiality" },
        { "a confidentiality code off the scale, which no filter lists", Base, "Observation", Labelled("a", Conf + "X"),
            AdmissionOutcome.Deny, "labels.confidentiality" },
        { "an ActCode code that is no known category, which no filter lists", Base, "Observation", Labelled("a", Act + "ZZZ"),
            AdmissionOutcome.Deny, "labels.sensitivity" },
        { "a category not granted, in another spelling", Base, "Observation", Labelled("a", "http://hl7.org/fhir/v3/ActCode|HIV"),
            AdmissionOutcome.Deny, "labels.sensitivity" },
        { "a consent-excluded label in a spelling the list lacks", Base with { ExcludedLabels = ["http://example.org/labels|secret"] },
            "Observation", Labelled("a", "http://example.org/labels|secret"), AdmissionOutcome.Deny, "labels.excluded" },
        { "a consent-excluded label carried without its system", Base with { ExcludedLabels = [Act + "PSY"], Clearance = Everything() },
            "Observation", Labelled("a", "PSY"), AdmissionOutcome.Deny, "labels.excluded" },
        { "a consent-excluded label in another valid system spelling", Base with { ExcludedLabels = [Act + "PSY"], Clearance = Everything() },
            "Observation", Labelled("a", "urn:oid:2.16.840.1.113883.5.4|PSY"), AdmissionOutcome.Deny, "labels.excluded" },
        { "labels within the clearance", Base with { Clearance = Everything(), ExcludedLabels = [] }, "Observation", Labelled("a", Conf + "V"),
            AdmissionOutcome.Admit, null },
        { "labels lifted by break-the-glass", Base with { Clearance = null, ExcludedLabels = [] }, "Observation", Labelled("a", Conf + "V"),
            AdmissionOutcome.Admit, null },
        { "facts that do not say they list every label", Base, "Observation", Facts("a") with { Complete = false },
            AdmissionOutcome.NeedsCheck, "labels.unknown" },
        { "an obligation that cannot be said as data", Base with { ResultsNeedCheck = true }, "Observation", Facts("a"),
            AdmissionOutcome.NeedsCheck, "result.needs-check" },
        { "a patient reference that does not resolve", Base, "Observation", Facts("a") with { UnresolvedPatientReferences = ["Observation.performer"] },
            AdmissionOutcome.Deny, "compartment.unresolved" },
        { "a compartment type naming no patient", Base, "Observation", Facts(), AdmissionOutcome.Deny, "compartment.no-patient" },
        { "a patient id spelt as a reference", Base, "Observation", Facts("Patient/a"), AdmissionOutcome.Deny, "result.patient-id" },
        { "a type the filter does not allow", Base, "Condition", Facts("a"), AdmissionOutcome.Deny, "result.no-branch" },
        { "a type outside the _type restriction", Base with { Filter = Base.Filter with { Types = ["Observation"] } }, "Condition", Facts("a"),
            AdmissionOutcome.Deny, "result.type" },
        { "facts of another resource", Base, "Observation", Facts("a") with { Reference = "Condition/x" }, AdmissionOutcome.Deny, "result.reference" },
        { "a constraint the result does not meet", Constrained(), "Observation", Facts("a"), AdmissionOutcome.Deny, "result.no-branch" },
        { "a constraint the result meets", Constrained(), "Observation", Facts("a") with { Category = [Token.Parse("http://terminology.hl7.org/CodeSystem/observation-category|laboratory")] },
            AdmissionOutcome.Admit, null },
        { "a patient/ branch, result outside the launch patient's compartment", Launch("a"), "Observation", Facts("b"),
            AdmissionOutcome.Deny, "result.no-branch" },
        { "a patient/ branch, result in the launch patient's compartment", Launch("a"), "Observation", Facts("a"), AdmissionOutcome.Admit, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Admits_only_what_a_read_would_permit(
        string name, ResultObligation obligation, string type, ResourceFacts facts, AdmissionOutcome outcome, string? code)
    {
        var admission = ObligationAdmission.Admit(obligation, type, facts);
        Assert.True(admission.Outcome == outcome && (code is null || admission.Code == code),
            $"{name}: {admission.Outcome} {admission.Code} ({admission.Message}); expected {outcome} {code}");
    }

    private static ResourceFacts Facts(params string[] patients) => new() { Patients = patients, Complete = true };

    private static ResourceFacts Labelled(string patient, string label) =>
        new() { Patients = [patient], Complete = true, Security = [Token.Parse(label)] };

    private static Clearance Everything() => new("V", SensitivityCategory.Codes.ToHashSet(StringComparer.Ordinal));

    private static ResultObligation Constrained() => Base with
    {
        Filter = new SearchFilter([new SearchFilterBranch("user/Observation.rs?category=laboratory", ScopeContext.User, "Observation", null,
            [new ScopeConstraint("category", ["http://terminology.hl7.org/CodeSystem/observation-category|laboratory"])])], null),
    };

    private static ResultObligation Launch(string patient) => Base with
    {
        Filter = new SearchFilter([new SearchFilterBranch("patient/Observation.rs", ScopeContext.Patient, "Observation", patient, [])], null),
    };

    private static HashSet<string> Set(params string[] ids) => new(ids, StringComparer.Ordinal);
}
