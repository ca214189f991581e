using System.Text.Json;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// The FHIR R4 resources the importer takes (README, Import): PractitionerRole, List (a panel),
/// Group (a ward with membership periods), CareTeam. Written field by field so that a 50,000-entry
/// List streams out without an object model.
/// </summary>
public static class FhirResources
{
    public static void PractitionerRole(Utf8JsonWriter w, HospitalNetwork network, int practitioner)
    {
        w.WriteStartObject();
        w.WriteString("resourceType", "PractitionerRole");
        w.WriteString("id", $"role-{HospitalNetwork.PractitionerId(practitioner)}");
        w.WriteBoolean("active", true);
        Period(w, "period", "2015-01-01T00:00:00Z", null);
        Reference(w, "practitioner", $"Practitioner/{HospitalNetwork.PractitionerId(practitioner)}");
        Reference(w, "organization", $"Organization/{HospitalNetwork.OrganizationId(network.OrganizationOfPractitioner(practitioner))}");
        w.WriteEndObject();
    }

    public static void Panel(Utf8JsonWriter w, HospitalNetwork network, int practitioner)
    {
        var id = HospitalNetwork.PractitionerId(practitioner);
        w.WriteStartObject();
        w.WriteString("resourceType", "List");
        w.WriteString("id", $"panel-{id}");
        w.WriteString("status", "current");
        w.WriteString("mode", "working");
        w.WriteString("title", $"Patient panel of {id}");
        Reference(w, "source", $"Practitioner/{id}");
        w.WriteStartArray("entry");
        foreach (var patient in network.Panel(practitioner).All())
        {
            w.WriteStartObject();
            Reference(w, "item", $"Patient/{HospitalNetwork.PatientId(patient)}");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Group(Utf8JsonWriter w, HospitalNetwork network, int g)
    {
        var group = network.Group(g);
        w.WriteStartObject();
        w.WriteString("resourceType", "Group");
        w.WriteString("id", HospitalNetwork.GroupId(g));
        w.WriteString("type", "person");
        w.WriteBoolean("actual", true);
        w.WriteString("name", $"Ward {g} of {HospitalNetwork.OrganizationId(group.Organization)}");
        Reference(w, "managingEntity", $"Organization/{HospitalNetwork.OrganizationId(group.Organization)}");
        w.WriteStartArray("member");
        var t = 0;
        foreach (var patient in group.Members.All())
        {
            var period = network.Membership(g, t++);
            w.WriteStartObject();
            Reference(w, "entity", $"Patient/{HospitalNetwork.PatientId(patient)}");
            Period(w, "period", period.Start, period.End);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void CareTeam(Utf8JsonWriter w, int c, CareTeamShape team)
    {
        w.WriteStartObject();
        w.WriteString("resourceType", "CareTeam");
        w.WriteString("id", HospitalNetwork.CareTeamId(c));
        w.WriteString("status", team.Status);
        Reference(w, "subject", $"Patient/{HospitalNetwork.PatientId(team.Subject)}");
        Period(w, "period", team.Start, team.End);
        w.WriteStartArray("participant");
        foreach (var member in team.Participants)
        {
            w.WriteStartObject();
            Reference(w, "member", $"Practitioner/{HospitalNetwork.PractitionerId(member.Practitioner)}");
            if (member.Start is not null)
            {
                Period(w, "period", member.Start, member.End);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Reference(Utf8JsonWriter w, string name, string reference)
    {
        w.WriteStartObject(name);
        w.WriteString("reference", reference);
        w.WriteEndObject();
    }

    public static void Period(Utf8JsonWriter w, string name, string? start, string? end)
    {
        w.WriteStartObject(name);
        if (start is not null)
        {
            w.WriteString("start", start);
        }
        if (end is not null)
        {
            w.WriteString("end", end);
        }
        w.WriteEndObject();
    }

    public static void Coding(Utf8JsonWriter w, string system, string code)
    {
        w.WriteStartObject();
        w.WriteString("system", system);
        w.WriteString("code", code);
        w.WriteEndObject();
    }

    public static void Concept(Utf8JsonWriter w, string system, string code)
    {
        w.WriteStartObject();
        w.WriteStartArray("coding");
        Coding(w, system, code);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
