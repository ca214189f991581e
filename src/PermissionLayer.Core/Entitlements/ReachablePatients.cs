namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// Everything a principal reaches at an instant: every patient, or the sorted patient ids, with the
/// sets (<c>Group/g</c>, <c>CareTeam/t</c>, <c>&lt;principal&gt;#panel</c>, <c>&lt;principal&gt;#self</c>) that reach them.
/// </summary>
public sealed record ReachablePatients(bool AllPatients, IReadOnlyList<string> Patients, IReadOnlyList<string> GrantingSets)
{
    public static readonly ReachablePatients Everyone = new(true, [], [GrantTarget.AllPatients]);
}
