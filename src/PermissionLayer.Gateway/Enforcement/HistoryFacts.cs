using System.Text.Json.Nodes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.References;
using PermissionLayer.Fhir.Resources;
using PermissionLayer.Gateway.Fhir;

namespace PermissionLayer.Gateway.Enforcement;

/// <summary>
/// The facts of every version in an instance history, as one union (<c>all_versions</c>): each
/// version's patients, codes and labels are extracted by <see cref="ResourceFactsExtractor"/>, the
/// same extraction the service applies to FHIR JSON. What facts cannot say is refused here.
/// </summary>
public static class HistoryFacts
{
    public static ResourceFacts Union(string resourceType, string id, IEnumerable<JsonObject> versions, PatientReferenceResolver resolver)
    {
        var patients = new SortedSet<string>(StringComparer.Ordinal);
        var category = new SortedSet<string>(StringComparer.Ordinal);
        var code = new SortedSet<string>(StringComparer.Ordinal);
        var tag = new SortedSet<string>(StringComparer.Ordinal);
        var security = new SortedSet<string>(StringComparer.Ordinal);
        var carried = new SortedSet<string>(StringComparer.Ordinal);
        var statuses = new HashSet<string?>();
        var complete = true;
        foreach (var version in versions)
        {
            if (FhirJson.Text(version, "resourceType") != resourceType || FhirJson.Text(version, "id") != id)
            {
                throw GatewayRefusal.BadGateway($"the FHIR server's history of {resourceType}/{id} holds another resource");
            }
            PermissionLayer.Core.Requests.ResourceFacts facts;
            try
            {
                (_, facts) = ResourceFactsExtractor.Extract(version.ToJsonString(), resolver);
            }
            catch (FhirInputException e)
            {
                throw GatewayRefusal.BadGateway($"a version of {resourceType}/{id} cannot be read: {e.Message}");
            }
            if (facts.UnresolvedPatientReferences.Count > 0)
            {
                // Facts have no way to say "a patient we cannot name": the service would read it as none.
                throw GatewayRefusal.Forbidden(
                    $"a version of {resourceType}/{id} refers to a patient that cannot be resolved ({facts.UnresolvedPatientReferences[0]})",
                    "compartment.unresolved");
            }
            complete &= !facts.CodeUnknown;
            patients.UnionWith(facts.Patients);
            category.UnionWith(facts.Category.Select(t => t.ToString()));
            code.UnionWith(facts.Code.Select(t => t.ToString()));
            tag.UnionWith(facts.Tag.Select(t => t.ToString()));
            security.UnionWith(facts.Security.Select(t => t.ToString()));
            carried.UnionWith(facts.CarriedTypes);
            statuses.Add(facts.Status);
        }
        var union = new ResourceFacts
        {
            Reference = $"{resourceType}/{id}",
            AllVersions = true,
            // A code held in another resource cannot be read: the lists are then not everything (labels.unknown).
            Complete = complete,
            // Versions with different statuses have no one status: a status constraint then matches none.
            Status = statuses.Count == 1 ? statuses.First() ?? "" : "",
        };
        union.Patients.AddRange(patients);
        union.Category.AddRange(category);
        union.Code.AddRange(code);
        union.Tag.AddRange(tag);
        union.Security.AddRange(security);
        union.CarriedTypes.AddRange(carried);
        return union;
    }
}
