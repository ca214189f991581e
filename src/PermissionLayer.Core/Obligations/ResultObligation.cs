using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Obligations;

/// <summary>
/// Everything a permitted search's results must satisfy, as data (decision.proto's SearchObligation):
/// a result may be returned when <see cref="ObligationAdmission.Admit"/> admits it. Each part stands
/// for a term a read of the result would ask: the scopes (<see cref="Filter"/>), the entitlement and
/// consent terms (<see cref="Patients"/>, for every patient the result concerns, not only its
/// compartment patient), the label term (<see cref="Clearance"/>, <see cref="ExcludedLabels"/>), and
/// the consent term for resources carried inside a result (<see cref="CarriedCheckPatients"/>).
/// What cannot be said as data makes the results need a check (<see cref="ResultsNeedCheck"/>).
/// </summary>
public sealed record ResultObligation
{
    public required SearchFilter Filter { get; init; }

    public required ResultPatients Patients { get; init; }

    /// <summary>Labels (<c>system|code</c>, every spelling) a result must not carry: above the clearance, and those a consent withholds.</summary>
    public IReadOnlyList<string> ExcludedLabels { get; init; } = [];

    /// <summary>
    /// The requester's clearance for the patients the search may return (the lowest any of them
    /// allows), which a result's labels must be within; null when break-the-glass lifted the label term.
    /// </summary>
    public Clearance? Clearance { get; init; }

    /// <summary>
    /// Patients whose consent may withhold a resource carried inside a result (a contained Condition
    /// under a consent that denies Conditions): a result concerning one of them that carries any
    /// resource needs a check.
    /// </summary>
    public IReadOnlyList<string> CarriedCheckPatients { get; init; } = [];

    /// <summary>Every result that carries a resource needs a check (the patients could not all be listed).</summary>
    public bool CarriedCheckAll { get; init; }

    /// <summary>Some restriction cannot be expressed as data: every result needs a check.</summary>
    public bool ResultsNeedCheck { get; init; }

    /// <summary>
    /// The obligation of a permitted search's result, as the decision made it; null for anything else.
    /// A token whose permitting scopes mix system/ with patient/ or user/ ones is decided for a read by
    /// whichever scopes fit the result (with or without the user's entitlements and clearance), which
    /// no single filter says: its results need a check.
    /// </summary>
    public static ResultObligation? Of(DecisionResult result)
    {
        if (result.Decision.Outcome != Outcome.Permit || result.Filter is not { } filter || result.Patients is not { } patients)
        {
            return null;
        }
        var contexts = filter.AnyOf.Select(b => b.Context).ToHashSet();
        var privacy = result.Privacy;
        return new ResultObligation
        {
            Filter = filter,
            Patients = new ResultPatients(patients.AllPatients, patients.Patients.ToHashSet(StringComparer.Ordinal),
                patients.Withheld.ToHashSet(StringComparer.Ordinal), Complete: true),
            ExcludedLabels = privacy?.ExcludedLabels ?? [],
            Clearance = privacy is null ? Clearance.Default : privacy.SearchClearance,
            CarriedCheckPatients = privacy?.CarriedCheckPatients ?? [],
            ResultsNeedCheck = contexts.Contains(ScopeContext.System) && contexts.Count > 1,
        };
    }
}
