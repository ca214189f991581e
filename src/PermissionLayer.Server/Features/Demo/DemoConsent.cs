namespace PermissionLayer.Server.Features.Demo;

/// <summary>
/// The demo consent: p-ben allows treatment but opts out of research (purpose HRESCH denied), in the
/// shape of FHIR's consent examples. Dr Alice reading p-ben for TREAT is permitted; for HRESCH denied.
/// </summary>
internal static class DemoConsent
{
    public const string Id = "demo-ben-no-research";

    public const string PatientId = "p-ben";

    public const string Json = """
        {
          "resourceType": "Consent",
          "id": "demo-ben-no-research",
          "status": "active",
          "scope": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy" }] },
          "category": [{ "coding": [{ "system": "http://loinc.org", "code": "59284-0" }] }],
          "patient": { "reference": "Patient/p-ben" },
          "policyRule": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN" }] },
          "provision": {
            "provision": [
              { "type": "deny", "purpose": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HRESCH" }] }
            ]
          }
        }
        """;
}
