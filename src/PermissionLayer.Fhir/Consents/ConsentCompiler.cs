using Hl7.Fhir.Model;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Imports;
using PermissionLayer.Fhir.Imports;

namespace PermissionLayer.Fhir.Consents;

/// <summary>
/// Compiles one FHIR R4 Consent (privacy scope) into a provision tree. It reads the JSON through the
/// import reader (strict parsing, modifier guard, id required), then maps every element it knows and
/// rejects, by FHIR path, anything it would otherwise have to ignore: a half-understood consent must
/// never be applied.
/// </summary>
public static class ConsentCompiler
{
    private const string ScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";

    /// <exception cref="FhirImportException">The JSON is not a Consent this engine can apply; the message names the element.</exception>
    public static CompiledConsent Compile(string json)
    {
        var facts = new FhirImportReader().ReadJson(json);
        if (facts is not [ImportedConsentJson consentJson])
        {
            var what = facts.Count == 1 ? facts[0].Resource.ToString() : $"{facts.Count} resources";
            throw new FhirImportException(what, null, null, "is not a single Consent resource");
        }
        var consent = (Consent)FhirResourceParser.Parse(consentJson.Json, default);
        var scope = new ResourceScope($"Consent/{consentJson.ConsentId}", default);
        ConsentElements.RejectUnsupported(consent, scope);
        if (consent.Scope?.Coding.Any(c => c.System == ScopeSystem && c.Code == "patient-privacy") != true)
        {
            throw scope.Fail("Consent.scope", "must be patient-privacy (http://terminology.hl7.org/CodeSystem/consentscope); other consent scopes are not access rules");
        }
        var patient = ReferenceRules.Require(consent.Patient, "Consent.patient", ReferenceRules.Patient, scope);
        return new CompiledConsent
        {
            ConsentId = consentJson.ConsentId,
            PatientId = patient.Id,
            Status = Status(consent, scope),
            PolicyRule = PolicyRule(consent.PolicyRule, scope),
            Root = consent.Provision is null
                ? new ConsentProvision { Path = "provision" }
                : ProvisionCompiler.Compile(consent.Provision, "Consent.provision", scope),
        };
    }

    private static string Status(Consent consent, ResourceScope scope) => consent.Status switch
    {
        Consent.ConsentState.Active => "active",
        Consent.ConsentState.Draft => "draft",
        Consent.ConsentState.Proposed => "proposed",
        Consent.ConsentState.Rejected => "rejected",
        Consent.ConsentState.Inactive => "inactive",
        Consent.ConsentState.EnteredInError => "entered-in-error",
        _ => throw scope.Fail("Consent.status", "is missing; without it nobody can tell whether the consent applies"),
    };

    /// <summary>Absent: the deployment default applies. Present: it must say OPTIN or OPTOUT.</summary>
    private static ConsentPolicyRule? PolicyRule(CodeableConcept? rule, ResourceScope scope)
    {
        if (rule is null)
        {
            return null;
        }
        var codes = rule.Coding.Where(c => c.System is null or ConsentPolicyRules.System).Select(c => c.Code).Distinct().ToList();
        if (codes is [var code] && ConsentPolicyRules.TryParse(code, out var parsed))
        {
            return parsed;
        }
        var given = string.Join(", ", rule.Coding.Select(c => $"{c.System}|{c.Code}"));
        throw scope.Fail("Consent.policyRule", $"'{given}' is not supported; expected one of OPTIN or OPTOUT ({ConsentPolicyRules.System})");
    }
}
