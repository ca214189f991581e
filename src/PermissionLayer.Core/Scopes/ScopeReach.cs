using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Scopes;

/// <summary>
/// Which patients a token's scopes can reach at all for an interaction on a type, before entitlements:
/// the accessible-patients stream intersects the entitlement terms with this, so that a token whose
/// scopes grant nothing reaches nobody, and a patient/-only token reaches only its launch patient.
/// </summary>
/// <param name="Contexts">The contexts of the scopes that apply (the entitlement terms depend on them).</param>
/// <param name="OnlyPatient">When every applicable scope is a patient/ scope: the launch patient, the only one reached.</param>
public sealed record ScopeReach(IReadOnlySet<ScopeContext> Contexts, string? OnlyPatient)
{
    public bool ReachesAnyone => Contexts.Count > 0;

    public static ScopeReach Of(ScopeSet scopes, Interaction interaction, string resourceType, string? launchPatient)
    {
        var required = ActionLetters.Required(interaction);
        // A patient/ scope without a launch patient grants nothing (SMART-SCOPES.md).
        var applicable = scopes.Scopes
            .Where(s => (s.Actions & required) == required && (resourceType == ResourceScope.AnyType || s.CoversType(resourceType)))
            .Where(s => s.Context != ScopeContext.Patient || launchPatient is not null)
            .ToList();
        var contexts = applicable.Select(s => s.Context).ToHashSet();
        var onlyPatient = contexts.Count == 1 && contexts.Contains(ScopeContext.Patient) ? launchPatient : null;
        return new ScopeReach(contexts, onlyPatient);
    }
}
