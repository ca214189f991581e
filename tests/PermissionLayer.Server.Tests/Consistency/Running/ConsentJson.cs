using System.Text.Json.Nodes;
using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>Writes a generated consent as the FHIR R4 Consent JSON that PutConsent takes.</summary>
internal static class ConsentJson
{
    public static string Of(ConsentSpec consent, CaseNames names)
    {
        var json = new JsonObject
        {
            ["resourceType"] = "Consent",
            ["id"] = names.Id(consent.Id),
            ["status"] = consent.Status,
            ["scope"] = Concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            ["category"] = new JsonArray(Concept("http://loinc.org", "59284-0")),
            ["patient"] = new JsonObject { ["reference"] = $"Patient/{names.Id(consent.Patient)}" },
            ["dateTime"] = "2030-01-01",
        };
        if (consent.PolicyRule is { } rule)
        {
            json["policyRule"] = Concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", rule);
        }
        if (!consent.Period.IsAlways || consent.Provisions.Count > 0)
        {
            var root = new JsonObject();
            AddPeriod(root, "period", consent.Period);
            AddChildren(root, consent.Provisions, names);
            json["provision"] = root;
        }
        return json.ToJsonString();
    }

    private static JsonObject Provision(ProvisionSpec provision, CaseNames names)
    {
        var json = new JsonObject { ["type"] = provision.Type };
        AddPeriod(json, "period", provision.Period);
        if (provision.Actor is { } actor)
        {
            json["actor"] = new JsonArray(new JsonObject
            {
                ["role"] = Concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PRCP"),
                ["reference"] = new JsonObject { ["reference"] = names.Reference(actor) },
            });
        }
        if (provision.Action is { } action)
        {
            json["action"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/consentaction", action));
        }
        if (provision.Purpose is { } purpose)
        {
            json["purpose"] = new JsonArray(Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", purpose));
        }
        if (provision.Class is { } type)
        {
            json["class"] = new JsonArray(Coding("http://hl7.org/fhir/resource-types", type));
        }
        if (provision.Code is { } code)
        {
            json["code"] = new JsonArray(Concept(code[..code.IndexOf('|')], code[(code.IndexOf('|') + 1)..]));
        }
        if (provision.Label is { } label)
        {
            json["securityLabel"] = new JsonArray(Coding(label[..label.IndexOf('|')], Labels.Code(label)));
        }
        AddChildren(json, provision.Children, names);
        return json;
    }

    private static void AddChildren(JsonObject json, IReadOnlyList<ProvisionSpec> children, CaseNames names)
    {
        if (children.Count > 0)
        {
            json["provision"] = new JsonArray([.. children.Select(c => (JsonNode)Provision(c, names))]);
        }
    }

    private static void AddPeriod(JsonObject json, string name, Window window)
    {
        if (window.IsAlways)
        {
            return;
        }
        var period = new JsonObject();
        if (window.From is { } from) period["start"] = from.ToString("yyyy-MM-ddTHH:mm:ssZ");
        // FHIR's end is inclusive at its precision: the last second before the window's exclusive end.
        if (window.Until is { } until) period["end"] = until.AddSeconds(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        json[name] = period;
    }

    private static JsonObject Concept(string system, string code) => new() { ["coding"] = new JsonArray(Coding(system, code)) };

    private static JsonObject Coding(string system, string code) => new() { ["system"] = system, ["code"] = code };
}
