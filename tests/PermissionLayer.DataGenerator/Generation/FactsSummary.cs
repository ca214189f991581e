using System.Text.Json;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// facts-summary.json: what another engine (the Cerbos and Cedar peers) needs to decide the same
/// requests on the same facts without reading every NDJSON file: the rule in words, for a sample of
/// requesters every patient they reach and why (panel, ward grant with its membership period,
/// care team, organization grant), the consents on those patients, the clients, and the request mix.
/// Patient lists are complete up to <see cref="ListedPatients"/> per requester (counts are always
/// complete); the NDJSON files hold everything.
/// </summary>
public static class FactsSummary
{
    public const int ListedPatients = 2_000;

    public static void Write(string path, HospitalNetwork network, RequestMix mix)
    {
        var consentOf = new Dictionary<long, int>(network.Size.Consents);
        for (var c = 0; c < network.Size.Consents; c++)
        {
            consentOf[network.ConsentPatients[c]] = c;
        }
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("preset", network.Size.Name);
        w.WriteNumber("seed", network.Seed);
        w.WriteString("validFrom", "2026-01-01T00:00:00Z");
        w.WriteString("validUntil", "2030-01-01T00:00:00Z");
        w.WriteString("rule",
            "PERMIT when all hold: the token's SMART scopes cover the interaction and type; the client (Client/<id>) reaches the patient "
            + "(grant to '*' or to a Group the patient is currently a member of) and its registration is active with a ceiling covering the scopes; "
            + "the practitioner reaches the patient (panel List entry, grant to a Group with a current membership, an active CareTeam where they are a current participant, "
            + "or a grant to their Organization's patients) with the interaction's letter (c for create: only ward grants with 'cruds'); "
            + "the patient's active Consent does not deny it (deny-organization: actor is the practitioner's organization, lifted for ETREAT; deny-practitioner: that practitioner; "
            + "deny-labels: data labelled PSY or HIV; deny-research: purpose HRESCH, and Observation code 72166-2 recorded 2020-2021; "
            + "opt-out: only the patient's own organization, purpose TREAT, Observation/Condition/Patient, not data labelled R); "
            + "and the data's labels are cleared (R needs clearance R, PSY/HIV need that sensitivity category: only ward grants with clearance R carry PSY).");
        WriteSizes(w, network.Size);
        w.WriteStartObject("mix");
        w.WriteString("file", "requests.ndjson");
        w.WriteNumber("lines", network.Size.MixRequests);
        w.WriteString("requesters", "Zipf(1.1) over practitioners; rank r is Practitioner/dr((r*7919+4111) mod practitioners)");
        w.WriteStartObject("labels");
        foreach (var (label, count) in mix.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(label, count);
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("clients");
        for (var a = 0; a < network.Size.Clients; a++)
        {
            var client = network.Client(a);
            w.WriteStartObject();
            w.WriteString("client", HospitalNetwork.ClientId(a));
            w.WriteString("status", client.Status);
            w.WriteString("scopeCeiling", client.ScopeCeiling);
            w.WriteBoolean("allPatients", client.AllPatients);
            w.WriteStartArray("groups");
            foreach (var g in client.Groups)
            {
                w.WriteStringValue($"Group/{HospitalNetwork.GroupId(g)}");
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("requesters");
        foreach (var practitioner in Sample(network, mix))
        {
            WriteRequester(w, network, practitioner, consentOf);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSizes(Utf8JsonWriter w, NetworkSize size)
    {
        w.WriteStartObject("sizes");
        w.WriteNumber("patients", size.Patients);
        w.WriteNumber("organizations", size.Organizations);
        w.WriteNumber("practitioners", size.Practitioners);
        w.WriteNumber("groups", size.Groups);
        w.WriteNumber("careTeams", size.CareTeams);
        w.WriteNumber("clients", size.Clients);
        w.WriteNumber("consents", size.Consents);
        w.WriteEndObject();
    }

    /// <summary>The big panels, the most frequent requesters, and a few drawn at random.</summary>
    private static IEnumerable<int> Sample(HospitalNetwork network, RequestMix mix)
    {
        var chosen = new List<int>();
        chosen.AddRange(Enumerable.Range(0, network.Size.BigPanels.Count));
        chosen.AddRange(Enumerable.Range(0, network.Size.SummaryRequesters / 2).Select(mix.PractitionerAtRank));
        var random = network.Random("summary", 0);
        while (chosen.Distinct().Count() < Math.Min(network.Size.Practitioners, network.Size.SummaryRequesters + network.Size.BigPanels.Count))
        {
            chosen.Add(random.Next(network.Size.Practitioners));
        }
        return chosen.Distinct();
    }

    private static void WriteRequester(Utf8JsonWriter w, HospitalNetwork network, int practitioner, Dictionary<long, int> consentOf)
    {
        var reach = new SortedDictionary<long, List<string>>();
        void Add(long patient, string why)
        {
            if (!reach.TryGetValue(patient, out var list))
            {
                reach[patient] = list = [];
            }
            list.Add(why);
        }
        foreach (var patient in network.Panel(practitioner).All())
        {
            Add(patient, $"List/panel-{HospitalNetwork.PractitionerId(practitioner)}");
        }
        foreach (var grant in network.GroupGrantsOf(practitioner))
        {
            var group = network.Group(grant.Group);
            for (var t = 0; t < group.Members.Count; t++)
            {
                if (network.Membership(grant.Group, t).CurrentlyMember)
                {
                    Add(group.Members[t], $"Group/{HospitalNetwork.GroupId(grant.Group)}:{grant.Actions}{(grant.Clearance is null ? "" : ":clearance-R+PSY")}");
                }
            }
        }
        foreach (var c in network.CareTeamsOf(practitioner))
        {
            var team = network.CareTeam(c);
            if (team.Status == "active" && team.Participants.Any(p => p.Practitioner == practitioner && p.Current))
            {
                Add(team.Subject, $"CareTeam/{HospitalNetwork.CareTeamId(c)}");
            }
        }
        var organization = network.OrganizationOfPractitioner(practitioner);
        if (network.HasOrganizationGrant(practitioner))
        {
            for (long m = 0; m < network.Size.PatientsPerOrganization; m++)
            {
                Add(network.PatientOfOrganization(organization, m), $"Organization/{HospitalNetwork.OrganizationId(organization)}");
            }
        }
        w.WriteStartObject();
        w.WriteString("principal", $"Practitioner/{HospitalNetwork.PractitionerId(practitioner)}");
        w.WriteString("organization", $"Organization/{HospitalNetwork.OrganizationId(organization)}");
        w.WriteNumber("panelSize", network.PanelSize(practitioner));
        w.WriteNumber("reachablePatients", reach.Count);
        w.WriteBoolean("listComplete", reach.Count <= ListedPatients);
        w.WriteStartArray("wardGrants");
        foreach (var grant in network.GroupGrantsOf(practitioner))
        {
            w.WriteStringValue($"Group/{HospitalNetwork.GroupId(grant.Group)}:{grant.Actions}{(grant.Clearance is null ? "" : ":clearance-R+PSY")}");
        }
        w.WriteEndArray();
        w.WriteStartObject("reach");
        foreach (var (patient, why) in reach.Take(ListedPatients))
        {
            w.WriteStartArray(HospitalNetwork.PatientId(patient));
            foreach (var reason in why)
            {
                w.WriteStringValue(reason);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartArray("consents");
        foreach (var patient in reach.Keys)
        {
            if (consentOf.TryGetValue(patient, out var c))
            {
                var shape = ConsentShape.Of(network, c);
                w.WriteStartObject();
                w.WriteString("consent", $"Consent/{HospitalNetwork.ConsentId(c)}");
                w.WriteString("patient", HospitalNetwork.PatientId(patient));
                w.WriteString("kind", shape.Kind);
                w.WriteString("status", shape.Status);
                if (shape.Organization is { } o)
                {
                    w.WriteString("organization", $"Organization/{HospitalNetwork.OrganizationId(o)}");
                }
                if (shape.Practitioner is { } p)
                {
                    w.WriteString("practitioner", $"Practitioner/{HospitalNetwork.PractitionerId(p)}");
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
