using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Labels;
using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Grains.Principals;

internal static class RequesterProfiles
{
    /// <summary>
    /// The highest clearance any covering grant states (N when none states one: most data is normal,
    /// and nothing above it is seen without a grant saying so), the union of their categories, and
    /// break-glass when any covering grant allows it.
    /// </summary>
    public static RequesterProfile From(IReadOnlyList<Grant> covering, IEnumerable<string> careTeams)
    {
        var stated = covering.Select(g => g.Clearance).OfType<string>().Where(Confidentiality.IsCode).ToList();
        var ceiling = stated.Count == 0 ? Confidentiality.Default : stated.MaxBy(Confidentiality.Rank)!;
        var categories = covering.SelectMany(g => g.SensitivityCategories).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new RequesterProfile(ceiling, categories, covering.Any(g => g.BreakGlass), [.. careTeams.Order(StringComparer.Ordinal)]);
    }
}
