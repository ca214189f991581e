namespace PermissionLayer.Storage.Imports;

/// <summary>What importing one resource did.</summary>
/// <param name="Reference">The imported resource, e.g. <c>Group/g9245</c>.</param>
/// <param name="Outcome"><c>created</c>, <c>replaced</c> or <c>unchanged</c> (re-importing the same content changes nothing).</param>
/// <param name="Count">Members of a Group, participants of a CareTeam.</param>
/// <param name="Revision">The revision of the change (the last, when it made several), or 0 when unchanged.</param>
/// <param name="FormerOwners">
/// Principals other than the resource's own that lost grants it used to give them (a panel List whose
/// new version names another practitioner): their grains must re-read their grants too.
/// </param>
public sealed record ImportOutcome(string Reference, string Outcome, int Count, long Revision, IReadOnlyList<string>? FormerOwners = null);
