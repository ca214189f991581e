namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// What the entitlement walk is asked. <see cref="Patients"/> are the patients a request touches (in
/// order, repeats kept; empty: data in no patient's compartment), or null for every patient the
/// principal reaches. <see cref="Access"/> asks, per patient, through what the principal reaches them
/// (or, for null patients, the whole reachable set); <see cref="Profile"/> asks the privacy profile of
/// the grants that reach the patients, and the care teams the principal takes part in at the instant.
/// </summary>
public sealed record WalkQuestion(
    DataActions Required, string? ResourceType, string? Purpose, DateTimeOffset At, IReadOnlyList<string>? Patients,
    bool Access = true, bool Profile = false)
{
    /// <summary>A request for any type (<c>*</c>) names no type a grant's type limit could cover.</summary>
    public string? ConcreteType => ResourceType == "*" ? null : ResourceType;

    /// <summary>The touched patients, once each, in order.</summary>
    public IReadOnlyList<string> Touched() => Patients is null ? [] : [.. Patients.Distinct(StringComparer.Ordinal)];

    /// <summary>Whether a grant is in force at the instant and covers the actions, type and purpose.</summary>
    public bool Applies(Grant grant) => grant.IsEffectiveAt(At) && grant.Covers(Required, ConcreteType, Purpose);
}
