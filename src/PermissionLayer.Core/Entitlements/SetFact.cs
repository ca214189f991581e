namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// A patient set's answer at the walk's instant: which of <see cref="Among"/> (null: every patient)
/// are <see cref="Members"/>. About a patient outside <see cref="Among"/> it says nothing.
/// </summary>
public sealed record SetFact(IReadOnlySet<string>? Among, IReadOnlySet<string> Members)
{
    /// <summary>Whether the patient is a member; null when this fact was not asked about them.</summary>
    public bool? Has(string patient) => Among is null || Among.Contains(patient) ? Members.Contains(patient) : null;

    /// <summary>Whether this fact answers for every one of <paramref name="patients"/> (null: for everyone).</summary>
    public bool Covers(IEnumerable<string>? patients) => Among is null || (patients is not null && patients.All(Among.Contains));

    /// <summary>Two answers at the same instant, about more patients.</summary>
    public SetFact Merge(SetFact other) => new(
        Among is null || other.Among is null ? null : Among.Union(other.Among).ToHashSet(StringComparer.Ordinal),
        Members.Union(other.Members).ToHashSet(StringComparer.Ordinal));
}
