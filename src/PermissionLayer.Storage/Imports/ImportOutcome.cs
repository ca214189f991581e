namespace PermissionLayer.Storage.Imports;

/// <summary>What importing one resource did.</summary>
/// <param name="Reference">The imported resource, e.g. <c>Group/g9245</c>.</param>
/// <param name="Outcome"><c>created</c>, <c>replaced</c> or <c>unchanged</c> (re-importing the same content changes nothing).</param>
/// <param name="Count">Members of a Group, participants of a CareTeam.</param>
/// <param name="Revision">The revision of the change, or 0 when unchanged.</param>
public sealed record ImportOutcome(string Reference, string Outcome, int Count, long Revision);
