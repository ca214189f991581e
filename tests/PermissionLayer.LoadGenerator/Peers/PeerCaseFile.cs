using System.Text.Json;

namespace PermissionLayer.LoadGenerator.Peers;

/// <summary>
/// The cases and our server's answers, as JSON for the Cedar peer (deploy/local/peers/cedar/bench.mjs),
/// which builds its entities from the same facts and must reach the same answers.
/// </summary>
internal static class PeerCaseFile
{
    public static void Write(string path, IReadOnlyList<PeerCase> cases, (bool Permit, string Reason)[] ours)
    {
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartArray();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            w.WriteStartObject();
            w.WriteNumber("line", c.Line);
            w.WriteString("label", c.Label);
            w.WriteString("resourceId", c.Check.ResourceId);
            w.WriteString("practitioner", c.Practitioner);
            w.WriteString("practitionerOrganization", c.PractitionerOrganization);
            Strings(w, "panel", c.Panel);
            w.WriteStartArray("wardGrants");
            foreach (var ward in c.WardGrants)
            {
                w.WriteStartObject();
                w.WriteString("group", ward.Group);
                w.WriteString("actions", ward.Actions);
                Strings(w, "clears", ward.Clears);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Strings(w, "careTeamPatients", c.CareTeamPatients);
            Strings(w, "careTeams", c.CareTeams);
            w.WriteBoolean("organizationGrant", c.OrganizationGrant);
            w.WriteString("client", c.Client);
            w.WriteString("clientStatus", c.ClientStatus);
            w.WriteBoolean("clientAllPatients", c.ClientAllPatients);
            Strings(w, "clientGroups", c.ClientGroups);
            w.WriteString("purpose", c.Purpose);
            w.WriteString("patient", c.Patient);
            w.WriteString("patientOrganization", c.PatientOrganization);
            Strings(w, "patientWards", c.PatientWards);
            Strings(w, "patientPanels", c.PatientPanels);
            Strings(w, "patientCareTeams", c.PatientCareTeams);
            w.WriteStartArray("consents");
            foreach (var consent in c.Consents)
            {
                w.WriteStartObject();
                w.WriteString("id", consent.Id);
                w.WriteString("kind", consent.Kind);
                w.WriteString("status", consent.Status);
                w.WriteString("organization", consent.Organization);
                w.WriteString("practitioner", consent.Practitioner);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Strings(w, "labels", c.Labels);
            w.WriteString("code", c.Code);
            w.WriteNumber("recorded", c.Recorded.ToUnixTimeSeconds());
            w.WriteBoolean("ourPermit", ours[i].Permit);
            w.WriteString("ourReason", ours[i].Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }
}
