namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// A principal's grants, indexed for decisions: grants to one patient by that patient, and the few
/// that reach more (everyone, a Group, an Organization, a CareTeam) apart. A decision about one
/// patient of a 5,000-patient panel then looks at a handful of grants, not all of them. Immutable: a
/// write builds a new book and swaps it in, so a decision interleaved at an await keeps a consistent
/// snapshot.
/// </summary>
public sealed class GrantBook
{
    private readonly Dictionary<string, Grant[]> _byPatient;

    public static readonly GrantBook Empty = new([]);

    public GrantBook(IReadOnlyList<Grant> grants)
    {
        All = grants;
        _byPatient = grants.Where(g => g.Target is GrantTarget.Patient)
            .GroupBy(g => ((GrantTarget.Patient)g.Target).Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        Broad = [.. grants.Where(g => g.Target is not GrantTarget.Patient)];
        WithPrivacyAttributes = [.. grants.Where(g => g.Clearance is not null || g.SensitivityCategories.Count > 0 || g.BreakGlass)];
    }

    /// <summary>Every grant, revoked ones included (they stay for the history).</summary>
    public IReadOnlyList<Grant> All { get; }

    /// <summary>The grants whose target is not a single patient.</summary>
    public IReadOnlyList<Grant> Broad { get; }

    /// <summary>
    /// The grants that state a clearance, sensitivity categories or break-glass: the only ones a
    /// requester profile depends on (the rest contribute the defaults), so a decision need not scan a
    /// whole panel's grants to build it.
    /// </summary>
    public IReadOnlyList<Grant> WithPrivacyAttributes { get; }

    /// <summary>The grants that target exactly this patient.</summary>
    public IReadOnlyList<Grant> ToPatient(string patientId) => _byPatient.GetValueOrDefault(patientId) ?? [];

    public GrantBook With(Grant added) => new([.. All, added]);

    public GrantBook Replacing(Grant changed) => new([.. All.Select(g => g.Id == changed.Id ? changed : g)]);
}
