using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The patients a token may reach: the intersection of each term's reach, less the patients whose
/// consent withholds the data (<see cref="Withheld"/>). <see cref="Terms"/> keeps each term's joinable
/// sets, so a FHIR server can apply "in every term's union, and not withheld" inside its query.
/// </summary>
public sealed record AccessiblePatients(
    bool AllPatients, IReadOnlyList<string> Patients, IReadOnlyList<(DecisionTerm Term, ReachablePatients Reach)> Terms, long Revision)
{
    /// <summary>
    /// Patients (sorted) the terms reach but whose consent withholds the data: already left out of
    /// <see cref="Patients"/>; who joins <see cref="Terms"/>' sets, or reaches every patient, must leave them out too.
    /// </summary>
    public IReadOnlyList<string> Withheld { get; init; } = [];

    /// <summary>Whether the set admits the patient: reached by every term, and not withheld.</summary>
    public bool Admits(string patient) =>
        AllPatients ? !Withheld.Contains(patient, StringComparer.Ordinal) : Patients.Contains(patient, StringComparer.Ordinal);

    /// <summary>Nobody: what a term that reaches no patient (a suspended client, scopes that grant nothing) leaves.</summary>
    public static AccessiblePatients Nobody(DecisionTerm term, long revision) => Intersect([(term, new ReachablePatients(false, [], []))], revision);

    public static AccessiblePatients Intersect(IReadOnlyList<(DecisionTerm Term, ReachablePatients Reach)> terms, long revision)
    {
        var bounded = terms.Where(t => !t.Reach.AllPatients).ToList();
        if (bounded.Count == 0)
        {
            return new AccessiblePatients(true, [], terms, revision);
        }
        IEnumerable<string> patients = bounded[0].Reach.Patients;
        foreach (var (_, reach) in bounded.Skip(1))
        {
            var other = new HashSet<string>(reach.Patients, StringComparer.Ordinal);
            patients = patients.Where(other.Contains);
        }
        return new AccessiblePatients(false, [.. patients], terms, revision);
    }

    /// <summary>Exactly the patients a search names (already checked one by one), as a set a server can join.</summary>
    public static AccessiblePatients Named(IReadOnlyList<string> patients, long revision)
    {
        var sorted = patients.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new AccessiblePatients(false, sorted,
            [(DecisionTerm.Request, new ReachablePatients(false, sorted, [.. sorted.Select(p => $"Patient/{p}")]))], revision);
    }

    /// <summary>This set narrowed to a term's reach as well.</summary>
    public AccessiblePatients And(DecisionTerm term, ReachablePatients reach) => Intersect([.. Terms, (term, reach)], Revision) with { Withheld = Withheld };

    /// <summary>This set less what the consent screen withholds.</summary>
    public AccessiblePatients Screened(PopulationScreen screen)
    {
        if (screen.OnlyPermitted is { } permitted)
        {
            // Every patient was reachable, but the deployment default denies patients without consent:
            // the reach is now the consenting patients, which no joinable set describes.
            var consent = new ReachablePatients(false, permitted, ["Consent#permits"]);
            return new AccessiblePatients(false, permitted, [.. Terms, (DecisionTerm.Consent, consent)], Revision);
        }
        if (screen.Withheld.Count == 0)
        {
            return this;
        }
        var withheld = new HashSet<string>(screen.Withheld, StringComparer.Ordinal);
        return this with
        {
            Patients = AllPatients ? [] : [.. Patients.Where(p => !withheld.Contains(p))],
            Withheld = screen.Withheld,
        };
    }
}
