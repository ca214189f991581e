namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>
/// Everything a principal reaches for some actions at an instant: either every patient, or a sorted
/// list of patient ids, with the sets (groups, care teams, the direct panel) that grant them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReachableSet(
    [property: Id(0)] bool AllPatients,
    [property: Id(1)] IReadOnlyList<string> Patients,
    [property: Id(2)] IReadOnlyList<string> GrantingSets)
{
    public static readonly ReachableSet Everyone = new(true, [], ["*"]);
}
