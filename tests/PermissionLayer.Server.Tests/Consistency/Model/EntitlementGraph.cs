namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>One generated world: patients, practitioners, clients and everything that connects them.</summary>
internal sealed record EntitlementGraph(
    IReadOnlyList<string> Patients, IReadOnlyList<string> Practitioners, IReadOnlyList<ClientSpec> Clients,
    IReadOnlyList<GrantSpec> Grants, IReadOnlyList<PatientSetSpec> Sets, IReadOnlyList<CareTeamSpec> CareTeams,
    IReadOnlyList<ConsentSpec> Consents)
{
    public ClientSpec? Client(string id) => Clients.FirstOrDefault(c => c.Id == id);
}
