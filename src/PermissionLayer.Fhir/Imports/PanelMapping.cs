using Hl7.Fhir.Model;
using PermissionLayer.Core.Imports;

namespace PermissionLayer.Fhir.Imports;

/// <summary>Maps a FHIR List of patients, kept by a practitioner, to that practitioner's panel.</summary>
internal static class PanelMapping
{
    public static ImportedPanel Map(List list, string id, ResourceScope scope)
    {
        var owner = ReferenceRules.Require(list.Source, "List.source", ReferenceRules.Practitioner, scope);
        var status = list.Status switch
        {
            List.ListStatus.Current => PanelStatus.Current,
            List.ListStatus.Retired => PanelStatus.Retired,
            List.ListStatus.EnteredInError => PanelStatus.EnteredInError,
            _ => throw scope.Fail("List.status", "is missing"),
        };
        var mode = list.Mode switch
        {
            ListMode.Working => PanelMode.Working,
            ListMode.Snapshot => PanelMode.Snapshot,
            ListMode.Changes => PanelMode.Changes,
            _ => throw scope.Fail("List.mode", "is missing"),
        };
        var patients = new List<string>(list.Entry.Count);
        var deleted = new List<string>();
        var firstIndex = new Dictionary<string, int>(list.Entry.Count, StringComparer.Ordinal);
        for (var i = 0; i < list.Entry.Count; i++)
        {
            var entry = list.Entry[i];
            var patient = ReferenceRules.Require(entry.Item, $"List.entry[{i}].item", ReferenceRules.Patient, scope);
            if (!firstIndex.TryAdd(patient.Id, i))
            {
                throw scope.Fail($"List.entry[{i}].item.reference", $"'{patient}' is also List.entry[{firstIndex[patient.Id]}]; a patient may appear once");
            }
            // A deleted entry (changes mode) takes the patient off the panel; elsewhere it lists nobody.
            (entry.Deleted is true ? deleted : patients).Add(patient.Id);
        }
        return new ImportedPanel(id, list.Meta?.VersionId, list.Meta?.LastUpdated, owner.ToString(), status, mode, patients) { DeletedPatientIds = deleted };
    }
}
