using System.Text.Json;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// FHIR R4 Consents (patient-privacy) with nested provisions: actors, actions, purposes, classes,
/// codes, security labels, periods and data periods, every bound a dateTime with a time zone.
/// </summary>
public static class ConsentResources
{
    private const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private const string Participation = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private const string ConsentAction = "http://terminology.hl7.org/CodeSystem/consentaction";
    private const string ResourceTypes = "http://hl7.org/fhir/resource-types";

    public static void Write(Utf8JsonWriter w, ConsentShape shape)
    {
        w.WriteStartObject();
        w.WriteString("resourceType", "Consent");
        w.WriteString("id", HospitalNetwork.ConsentId(shape.Index));
        w.WriteString("status", shape.Status);
        w.WriteStartObject("scope");
        w.WriteStartArray("coding");
        FhirResources.Coding(w, "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("category");
        FhirResources.Concept(w, "http://loinc.org", "59284-0");
        w.WriteEndArray();
        FhirResources.Reference(w, "patient", $"Patient/{HospitalNetwork.PatientId(shape.Patient)}");
        w.WriteString("dateTime", "2024-03-01T09:30:00+01:00");
        w.WriteStartObject("policyRule");
        w.WriteStartArray("coding");
        FhirResources.Coding(w, ActCode, shape.Kind == "opt-out" ? "OPTOUT" : "OPTIN");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("provision");
        w.WriteStartArray("provision");
        switch (shape.Kind)
        {
            case "deny-organization":
                // Another organization's staff may not read or correct, except for emergency treatment.
                w.WriteStartObject();
                w.WriteString("type", "deny");
                Actor(w, "PRCP", $"Organization/{HospitalNetwork.OrganizationId(shape.Organization!.Value)}");
                Actions(w, "access", "correct");
                w.WriteStartArray("provision");
                w.WriteStartObject();
                w.WriteString("type", "permit");
                Purposes(w, "ETREAT");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case "deny-practitioner":
                w.WriteStartObject();
                w.WriteString("type", "deny");
                FhirResources.Period(w, "period", "2025-01-01T00:00:00+01:00", "2031-01-01T00:00:00+01:00");
                Actor(w, "PRCP", $"Practitioner/{HospitalNetwork.PractitionerId(shape.Practitioner!.Value)}");
                Actions(w, "access");
                w.WriteEndObject();
                break;
            case "deny-labels":
                w.WriteStartObject();
                w.WriteString("type", "deny");
                w.WriteStartArray("securityLabel");
                FhirResources.Coding(w, ActCode, "PSY");
                FhirResources.Coding(w, ActCode, "HIV");
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case "deny-research":
                w.WriteStartObject();
                w.WriteString("type", "deny");
                Purposes(w, "HRESCH");
                w.WriteEndObject();
                w.WriteStartObject();
                w.WriteString("type", "deny");
                Classes(w, "Observation");
                w.WriteStartArray("code");
                FhirResources.Concept(w, "http://loinc.org", "72166-2");
                w.WriteEndArray();
                FhirResources.Period(w, "dataPeriod", "2020-01-01T00:00:00Z", "2021-12-31T23:59:59Z");
                w.WriteEndObject();
                break;
            default: // opt-out: only the patient's own organization, for treatment, some data, for a period
                w.WriteStartObject();
                w.WriteString("type", "permit");
                FhirResources.Period(w, "period", "2024-01-01T00:00:00-05:00", "2032-01-01T00:00:00-05:00");
                Actor(w, "PRCP", $"Organization/{HospitalNetwork.OrganizationId(shape.Organization!.Value)}");
                Actions(w, "access", "collect", "correct");
                Purposes(w, "TREAT");
                Classes(w, "Observation", "Condition", "Patient");
                w.WriteStartArray("provision");
                w.WriteStartObject();
                w.WriteString("type", "deny");
                w.WriteStartArray("securityLabel");
                FhirResources.Coding(w, "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R");
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                break;
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Actor(Utf8JsonWriter w, string role, string reference)
    {
        w.WriteStartArray("actor");
        w.WriteStartObject();
        w.WriteStartObject("role");
        w.WriteStartArray("coding");
        FhirResources.Coding(w, Participation, role);
        w.WriteEndArray();
        w.WriteEndObject();
        FhirResources.Reference(w, "reference", reference);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void Actions(Utf8JsonWriter w, params string[] actions)
    {
        w.WriteStartArray("action");
        foreach (var action in actions)
        {
            FhirResources.Concept(w, ConsentAction, action);
        }
        w.WriteEndArray();
    }

    private static void Purposes(Utf8JsonWriter w, params string[] purposes)
    {
        w.WriteStartArray("purpose");
        foreach (var purpose in purposes)
        {
            FhirResources.Coding(w, ActReason, purpose);
        }
        w.WriteEndArray();
    }

    private static void Classes(Utf8JsonWriter w, params string[] types)
    {
        w.WriteStartArray("class");
        foreach (var type in types)
        {
            FhirResources.Coding(w, ResourceTypes, type);
        }
        w.WriteEndArray();
    }
}
