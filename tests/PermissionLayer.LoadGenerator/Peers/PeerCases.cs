using PermissionLayer.Contracts.V1;
using PermissionLayer.DataGenerator.Generation;
using PermissionLayer.DataGenerator.Probes;

namespace PermissionLayer.LoadGenerator.Peers;

/// <summary>
/// The mix's single Observation reads turned into <see cref="PeerCase"/>s, with the facts recomputed
/// from the network the data set was generated from (same size and seed: <c>manifest.json</c>), so the
/// peers see exactly the entitlements, memberships and consents our server loaded.
/// </summary>
internal static class PeerCases
{
    public static List<PeerCase> Build(string dataFolder, MixFile mix, int limit)
    {
        var network = new HospitalNetwork(NetworkSize.FromManifest(dataFolder));
        var wardsOf = new Dictionary<long, List<string>>();
        for (var g = 0; g < network.Size.Groups; g++)
        {
            var members = network.Group(g).Members;
            for (var t = 0; t < members.Count; t++)
            {
                if (network.Membership(g, t).CurrentlyMember)
                {
                    (wardsOf.TryGetValue(members[t], out var list) ? list : wardsOf[members[t]] = []).Add($"Group/{HospitalNetwork.GroupId(g)}");
                }
            }
        }
        var consentOf = new Dictionary<long, int>(network.Size.Consents);
        for (var c = 0; c < network.Size.Consents; c++)
        {
            consentOf[network.ConsentPatients[c]] = c;
        }
        var panelsOf = new Dictionary<long, List<string>>();
        for (var k = 0; k < network.Size.Practitioners; k++)
        {
            foreach (var member in network.Panel(k).All())
            {
                (panelsOf.TryGetValue(member, out var list) ? list : panelsOf[member] = []).Add($"Practitioner/{HospitalNetwork.PractitionerId(k)}");
            }
        }
        var teamsOf = new Dictionary<long, List<string>>();
        for (var t = 0; t < network.Size.CareTeams; t++)
        {
            var team = network.CareTeam(t);
            if (team.Status == "active")
            {
                (teamsOf.TryGetValue(team.Subject, out var list) ? list : teamsOf[team.Subject] = []).Add($"CareTeam/{HospitalNetwork.CareTeamId(t)}");
            }
        }
        var panels = new Dictionary<int, IReadOnlyList<string>>();
        var cases = new List<PeerCase>();
        for (var line = 0; line < mix.Entries.Count && cases.Count < limit; line++)
        {
            if (mix.Entries[line].Check is not { Interaction: Interaction.Read, ResourceType: "Observation" } check)
            {
                continue;
            }
            var practitioner = int.Parse(check.Token.FhirUser["Practitioner/dr".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var patient = long.Parse(check.Stored.Facts.Patients.Single()[1..], System.Globalization.CultureInfo.InvariantCulture);
            var client = int.Parse(check.Token.ClientId["app".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (!panels.TryGetValue(practitioner, out var panel))
            {
                panels[practitioner] = panel = [.. network.Panel(practitioner).All().Select(HospitalNetwork.PatientId)];
            }
            var registration = network.Client(client);
            var consents = consentOf.TryGetValue(patient, out var ci) ? [Consent(network, ci)] : Array.Empty<PeerConsent>();
            cases.Add(new PeerCase(
                line, mix.Entries[line].Label, check,
                check.Token.FhirUser,
                $"Organization/{HospitalNetwork.OrganizationId(network.OrganizationOfPractitioner(practitioner))}",
                panel,
                [.. network.GroupGrantsOf(practitioner).Select(g => new PeerWardGrant(
                    $"Group/{HospitalNetwork.GroupId(g.Group)}", g.Actions, g.Clearance is null ? [] : [g.Clearance, .. g.SensitivityCategories]))],
                [.. network.CareTeamsOf(practitioner).Select(network.CareTeam)
                    .Where(t => t.Status == "active" && t.Participants.Any(p => p.Practitioner == practitioner && p.Current))
                    .Select(t => HospitalNetwork.PatientId(t.Subject)).Distinct()],
                [.. network.CareTeamsOf(practitioner)
                    .Where(t => network.CareTeam(t) is { Status: "active" } team && team.Participants.Any(p => p.Practitioner == practitioner && p.Current))
                    .Select(t => $"CareTeam/{HospitalNetwork.CareTeamId(t)}")],
                network.HasOrganizationGrant(practitioner),
                $"Client/{check.Token.ClientId}", registration.Status, registration.AllPatients,
                [.. registration.Groups.Select(g => $"Group/{HospitalNetwork.GroupId(g)}")],
                check.Token.PurposeOfUse,
                HospitalNetwork.PatientId(patient),
                $"Organization/{HospitalNetwork.OrganizationId(network.OrganizationOfPatient(patient))}",
                wardsOf.TryGetValue(patient, out var wards) ? wards : [],
                panelsOf.TryGetValue(patient, out var onPanels) ? onPanels : [],
                teamsOf.TryGetValue(patient, out var teams) ? teams : [],
                consents,
                [.. check.Stored.Facts.Security.Select(s => s[(s.IndexOf('|') + 1)..])],
                check.Stored.Facts.Code.Single(),
                check.Stored.Facts.RecordedAt.ToDateTimeOffset()));
        }
        return cases;
    }

    private static PeerConsent Consent(HospitalNetwork network, int c)
    {
        var shape = ConsentShape.Of(network, c);
        return new PeerConsent(
            $"Consent/{HospitalNetwork.ConsentId(c)}", shape.Kind, shape.Status,
            shape.Organization is { } o ? $"Organization/{HospitalNetwork.OrganizationId(o)}" : null,
            shape.Practitioner is { } p ? $"Practitioner/{HospitalNetwork.PractitionerId(p)}" : null);
    }
}
