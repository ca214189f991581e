using Hl7.Fhir.Model;
using PermissionLayer.Core.Imports;
using PermissionLayer.Core.References;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// One import: maps resources to facts and remembers which resources it has seen, because the same
/// resource twice in one import (two Bundle entries, two lines) leaves it unclear which one is meant.
/// </summary>
internal sealed class ImportSession
{
    private static readonly string Importable = "Group, CareTeam, List, PractitionerRole, Consent or Bundle";

    private readonly Dictionary<FhirReference, string?> _seen = [];

    public void Read(string json, ResourceOrigin origin, List<ImportedFact> facts)
    {
        var resource = FhirResourceParser.Parse(json, origin);
        Map(resource, () => json.TrimStart('\uFEFF').Trim(), origin, facts);
    }

    private void Map(Resource resource, Func<string> json, ResourceOrigin origin, List<ImportedFact> facts)
    {
        var type = resource.TypeName;
        if (resource is Bundle bundle)
        {
            MapBundle(bundle, json, origin, facts);
            return;
        }
        if (resource is not (Group or CareTeam or List or PractitionerRole or Consent))
        {
            var name = string.IsNullOrEmpty(resource.Id) ? type : $"{type}/{resource.Id}";
            throw new FhirImportException(name, origin.Describe(), null, $"resource type '{type}' cannot be imported; expected {Importable}");
        }
        if (resource.Id is not { Length: > 0 } id)
        {
            throw new FhirImportException(type, origin.Describe(), $"{type}.id", "is missing; an imported resource needs an id so later imports can update it");
        }
        var scope = new ResourceScope($"{type}/{id}", origin);
        ModifierGuard.Check(resource, scope);
        Register(new FhirReference(type, id), scope);
        facts.Add(resource switch
        {
            Group group => GroupMapping.Map(group, id, scope),
            CareTeam team => CareTeamMapping.Map(team, id, scope),
            List list => PanelMapping.Map(list, id, scope),
            PractitionerRole role => PractitionerRoleMapping.Map(role, id, scope),
            _ => new ImportedConsentJson(json(), id, resource.Meta?.VersionId, resource.Meta?.LastUpdated),
        });
    }

    private void MapBundle(Bundle bundle, Func<string> json, ResourceOrigin origin, List<ImportedFact> facts)
    {
        var scope = new ResourceScope(string.IsNullOrEmpty(bundle.Id) ? "Bundle" : $"Bundle/{bundle.Id}", origin);
        ModifierGuard.Check(bundle, scope);
        using var entries = new BundleJson(json);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is not { } resource)
            {
                throw scope.Fail($"Bundle.entry[{i}].resource", "is missing; every entry must carry a resource to import (a DELETE entry cannot be imported)");
            }
            var index = i;
            Map(resource, () => entries.EntryResource(index), origin.InEntry(i), facts);
        }
    }

    private void Register(FhirReference reference, ResourceScope scope)
    {
        var where = scope.Origin.Describe();
        if (!_seen.TryAdd(reference, where))
        {
            var first = _seen[reference];
            throw scope.Fail(null, $"appears twice in one import{(first is null ? "" : $" (also at {first})")}; send one version of each resource");
        }
    }
}
