using System.Collections.Immutable;
using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Sync;

/// <summary>
/// The entities a requester's accessible set is computed from, taken from the facts of its walk: its
/// principals (user and client: grants, roles, the care teams naming them), its client's registration,
/// the patient sets and care teams its grants target or it is on, its fhirContext groups, and the
/// consents of the patients its terms reach. A change to none of them cannot change the set, so the
/// feed does not recompute it. Fail closed: a kind it does not know, or a requester whose terms reach
/// every patient (any patient's consent may withhold), counts as touched.
/// </summary>
public sealed record SyncDependencies(
    ImmutableHashSet<string> Principals, string ClientId, ImmutableHashSet<string> PatientSets, ImmutableHashSet<string> CareTeams,
    ImmutableHashSet<string> ConsentPatients, bool AnyConsent)
{
    /// <summary>
    /// The dependencies of a requester. <paramref name="grantTargets"/>: the targets of its principals'
    /// grants (<c>Group/g</c>, <c>Organization/o</c>, <c>CareTeam/t</c>, <c>Patient/p</c>, …);
    /// <paramref name="teams"/>: the care teams naming its principals; <paramref name="organizations"/>:
    /// the organizations its principals work for; <paramref name="reachedPatients"/>: the patients its
    /// terms reach before consent (null: every patient).
    /// </summary>
    public static SyncDependencies Of(
        IEnumerable<string> principals, string clientId, IEnumerable<string> contextGroups, IEnumerable<string> grantTargets,
        IEnumerable<string> teams, IEnumerable<string> organizations, IEnumerable<string>? reachedPatients)
    {
        var sets = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var careTeams = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var patients = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var group in contextGroups)
        {
            sets.Add(group);
        }
        foreach (var organization in organizations)
        {
            sets.Add(organization.StartsWith("Organization/", StringComparison.Ordinal) ? organization : $"Organization/{organization}");
        }
        careTeams.UnionWith(teams);
        foreach (var target in grantTargets)
        {
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            var (type, id) = slash < 0 ? (target, target) : (target[..slash], target[(slash + 1)..]);
            switch (type)
            {
                case "Group":
                    sets.Add(id);
                    break;
                case "Organization":
                    sets.Add(target);
                    break;
                case "CareTeam":
                    careTeams.Add(id);
                    break;
                case "Patient":
                    patients.Add(id);
                    break;
                default:
                    // A target of another shape (every patient, a panel): the set key is the target
                    // itself; the reached patients below cover the consents.
                    sets.Add(target);
                    break;
            }
        }
        if (reachedPatients is not null)
        {
            patients.UnionWith(reachedPatients);
        }
        return new SyncDependencies(
            principals.ToImmutableHashSet(StringComparer.Ordinal), clientId, sets.ToImmutable(), careTeams.ToImmutable(),
            patients.ToImmutable(), AnyConsent: reachedPatients is null);
    }

    /// <summary>The entities of a change that this requester's set depends on (empty: the change cannot alter it).</summary>
    public IReadOnlyList<SyncEntity> Touched(IEnumerable<SyncEntity> changed) => [.. changed.Where(Touches)];

    public bool Touches(SyncEntity entity) => entity.Kind switch
    {
        SyncEntity.Principal => Principals.Contains(entity.Key),
        SyncEntity.Client => entity.Key == ClientId,
        SyncEntity.Consent => AnyConsent || ConsentPatients.Contains(entity.Key),
        SyncEntity.PatientSet => PatientSets.Contains(entity.Key),
        SyncEntity.CareTeam => CareTeams.Contains(entity.Key),
        _ => true, // an entity kind this rule does not know may change anything
    };

    /// <summary>The requester's principals: the client (<c>Client/id</c>) and the user, when its terms have one.</summary>
    public static IReadOnlyList<string> PrincipalsOf(IEnumerable<PrincipalRef> terms) => [.. terms.Select(t => t.ToString()).Distinct(StringComparer.Ordinal)];
}
