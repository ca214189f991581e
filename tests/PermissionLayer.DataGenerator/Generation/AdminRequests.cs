using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// The facts FHIR does not carry here, as the admin API's own JSON (protobuf JSON, as the JSON port and
/// <c>plctl apply</c> accept): grants in <see cref="ApplyChangesRequest"/> batches of at most
/// <see cref="BatchSize"/> changes, client registrations, and each organization's patients.
/// </summary>
public static class AdminRequests
{
    /// <summary>Changes per ApplyChanges call: well under the batch bound being introduced (1,000–5,000).</summary>
    public const int BatchSize = 500;

    public const string Reason = "issue 15 data set";

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static string Json(IMessage message) => Formatter.Format(message);

    /// <summary>Every grant of the network, in a fixed order: groups' attending practitioners, organization grants, clients.</summary>
    public static IEnumerable<Grant> Grants(HospitalNetwork network)
    {
        for (var g = 0; g < network.Size.Groups; g++)
        {
            foreach (var grant in network.GroupGrants(g))
            {
                var wire = new Grant
                {
                    Principal = $"Practitioner/{HospitalNetwork.PractitionerId(grant.Practitioner)}",
                    Target = $"Group/{HospitalNetwork.GroupId(g)}",
                    Actions = grant.Actions,
                    Reason = "attending on the ward",
                };
                if (grant.Clearance is { } clearance)
                {
                    wire.Clearance = clearance;
                    wire.SensitivityCategories.AddRange(grant.SensitivityCategories);
                }
                yield return wire;
            }
        }
        for (var k = 0; k < network.Size.Practitioners; k++)
        {
            if (network.HasOrganizationGrant(k))
            {
                yield return new Grant
                {
                    Principal = $"Practitioner/{HospitalNetwork.PractitionerId(k)}",
                    Target = $"Organization/{HospitalNetwork.OrganizationId(network.OrganizationOfPractitioner(k))}",
                    Actions = "rs",
                    Reason = "department head",
                };
            }
        }
        for (var a = 0; a < network.Size.Clients; a++)
        {
            var client = network.Client(a);
            var principal = $"Client/{HospitalNetwork.ClientId(a)}";
            if (client.AllPatients)
            {
                yield return new Grant { Principal = principal, Target = "*", Actions = a == 0 ? "cruds" : "rs", Reason = "trusted application" };
            }
            foreach (var g in client.Groups)
            {
                yield return new Grant { Principal = principal, Target = $"Group/{HospitalNetwork.GroupId(g)}", Actions = "rs", Reason = "ward application" };
            }
        }
    }

    public static IEnumerable<ApplyChangesRequest> GrantBatches(HospitalNetwork network)
    {
        var batch = new ApplyChangesRequest();
        foreach (var grant in Grants(network))
        {
            batch.Changes.Add(new BatchChange { CreateGrant = new CreateGrantRequest { Grant = grant } });
            if (batch.Changes.Count == BatchSize)
            {
                yield return batch;
                batch = new ApplyChangesRequest();
            }
        }
        if (batch.Changes.Count > 0)
        {
            yield return batch;
        }
    }

    public static PutClientRegistrationRequest Client(ClientShape client) => new()
    {
        ClientId = HospitalNetwork.ClientId(client.Index),
        Name = client.Name,
        Status = client.Status,
        ScopeCeiling = client.ScopeCeiling,
        Reason = Reason,
    };

    private static readonly Timestamp Affiliated = Timestamp.FromDateTimeOffset(new DateTimeOffset(2010, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static ChangeOrganizationPatientsRequest OrganizationPatients(HospitalNetwork network, int organization)
    {
        var request = new ChangeOrganizationPatientsRequest { OrganizationId = HospitalNetwork.OrganizationId(organization), Reason = Reason };
        for (long m = 0; m < network.Size.PatientsPerOrganization; m++)
        {
            request.Upsert.Add(new GroupMember { PatientId = HospitalNetwork.PatientId(network.PatientOfOrganization(organization, m)), PeriodStart = Affiliated });
        }
        return request;
    }
}
