namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// One patient's part of a walk: the grant through which the principal reaches them
/// (<see cref="Guid.Empty"/>: no grant is needed — the patient themself, a care-team participant), or
/// null when nothing does, with the explanation for the decision's reasons.
/// </summary>
public sealed record PatientReach(string Patient, Guid? GrantId, string Explanation)
{
    public bool Permitted => GrantId is not null;
}
