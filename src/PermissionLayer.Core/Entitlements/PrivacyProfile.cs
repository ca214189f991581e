using PermissionLayer.Core.Labels;

namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// What a requester is cleared for about particular patients. A grant's privacy attributes
/// (clearance, sensitivity categories, break-the-glass) apply only to the patients that grant
/// reaches: a V clearance for Patient/a says nothing about Patient/b.
/// </summary>
public sealed record PrivacyProfile(Clearance Clearance, bool MayBreakGlass)
{
    /// <summary>No grant that reaches the patient states anything: normal data only, no emergency access.</summary>
    public static readonly PrivacyProfile Default = new(Clearance.Default, false);

    /// <summary>
    /// For one patient, from the requester's grants that reach that patient and cover the request:
    /// the highest clearance any states (N when none does), the union of their categories, and
    /// break-the-glass when any allows it.
    /// </summary>
    public static PrivacyProfile Of(IEnumerable<Grant> reaching)
    {
        var grants = reaching.ToList();
        var stated = grants.Select(g => g.Clearance).OfType<string>().Where(Confidentiality.IsCode).ToList();
        var ceiling = stated.Count == 0 ? Confidentiality.Default : stated.MaxBy(Confidentiality.Rank)!;
        var categories = grants.SelectMany(g => g.SensitivityCategories).ToHashSet(StringComparer.Ordinal);
        return new PrivacyProfile(new Clearance(ceiling, categories), grants.Any(g => g.BreakGlass));
    }

    /// <summary>
    /// For data in several patients' compartments at once, every one of them must clear it: the lowest
    /// ceiling, the categories all share, break-the-glass only when every patient's grants allow it.
    /// No patient at all (data in nobody's compartment): <paramref name="none"/>.
    /// </summary>
    public static PrivacyProfile Common(IReadOnlyCollection<PrivacyProfile> perPatient, PrivacyProfile none)
    {
        if (perPatient.Count == 0)
        {
            return none;
        }
        var ceiling = perPatient.Select(p => p.Clearance.Ceiling).MinBy(Confidentiality.Rank)!;
        var categories = perPatient.Skip(1).Aggregate(
            perPatient.First().Clearance.Categories.ToHashSet(StringComparer.Ordinal),
            (common, p) => { common.IntersectWith(p.Clearance.Categories); return common; });
        return new PrivacyProfile(new Clearance(ceiling, categories), perPatient.All(p => p.MayBreakGlass));
    }
}
