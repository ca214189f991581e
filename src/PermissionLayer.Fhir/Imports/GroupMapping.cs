using Hl7.Fhir.Model;
using PermissionLayer.Core.Imports;

namespace PermissionLayer.Fhir.Imports;

/// <summary>Maps an actual FHIR Group to its patient memberships.</summary>
internal static class GroupMapping
{
    public static ImportedGroup Map(Group group, string id, ResourceScope scope)
    {
        if (group.Actual is not true)
        {
            throw scope.Fail("Group.actual", "is false: a definitional group describes criteria, not members, and has nothing to import");
        }
        var members = new List<ImportedMember>(group.Member.Count);
        // Patient id → index of its first entry, so a duplicate names both and the check stays linear.
        var firstIndex = new Dictionary<string, int>(group.Member.Count, StringComparer.Ordinal);
        for (var i = 0; i < group.Member.Count; i++)
        {
            var member = group.Member[i];
            var patient = ReferenceRules.Require(member.Entity, $"Group.member[{i}].entity", ReferenceRules.Patient, scope);
            if (!firstIndex.TryAdd(patient.Id, i))
            {
                throw scope.Fail(
                    $"Group.member[{i}].entity.reference",
                    $"'{patient}' is also Group.member[{firstIndex[patient.Id]}]; a patient may appear once, with one period");
            }
            var (start, end) = PeriodBounds.Entitling(member.Period, $"Group.member[{i}].period", scope);
            members.Add(new ImportedMember(patient.Id, start, end, member.Inactive ?? false));
        }
        return new ImportedGroup(id, group.Meta?.VersionId, group.Meta?.LastUpdated, group.Active ?? true, members);
    }
}
