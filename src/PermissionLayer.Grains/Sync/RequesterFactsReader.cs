using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Sync;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Storage;

namespace PermissionLayer.Grains.Sync;

/// <summary>
/// Reads, for a feed's requester, the facts its accessible set was computed from (<see cref="SyncDependencies"/>)
/// and every period bound among them (<see cref="PeriodBoundaries"/>), from PostgreSQL: the grants of its
/// principals, the care teams naming them or that they are granted, the patient sets they are granted
/// or narrowed to, their practitioner roles and the consents of the patients they reach. Supersets are
/// fine (a needless recompute changes nothing); a missed fact would not be, so every principal the
/// token could act as counts (the client, and the user whether or not a user/ scope applies).
/// </summary>
public sealed class RequesterFactsReader(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public async Task<RequesterFacts> ReadAsync(TokenContext token, AccessiblePatients accessible, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadFactsAsync(token, accessible, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StorageUnavailableException and not RequestValidationException)
        {
            // A malformed request (a fhir_context entry that is no Type/id) stays INVALID_ARGUMENT, naming the field.
            // Fail closed: a feed whose dependencies cannot be read ends (UNAVAILABLE) and the client resumes.
            throw new StorageUnavailableException("could not read the requester's entitlement facts: " + e.Message, e);
        }
    }

    private async Task<RequesterFacts> ReadFactsAsync(TokenContext token, AccessiblePatients accessible, CancellationToken cancellationToken)
    {
        {
            var principals = new List<string> { PrincipalRef.ForClient(token.ClientId).ToString() };
            if (token.FhirUser is { Length: > 0 } user)
            {
                principals.Add(PrincipalRef.TryParse(user, out var parsed) ? parsed.ToString() : user);
            }
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var grants = await db.Grants.AsNoTracking().Where(g => principals.Contains(g.Principal) && g.RevokedAt == null)
                .Select(g => new { g.Target, g.ValidFrom, g.ValidUntil }).ToListAsync(cancellationToken);
            var targets = grants.Select(g => g.Target).Distinct(StringComparer.Ordinal).ToList();
            var grantedTeams = targets.Where(t => t.StartsWith("CareTeam/", StringComparison.Ordinal)).Select(t => t["CareTeam/".Length..]).ToList();
            var teams = await db.CareTeams.AsNoTracking()
                .Where(t => grantedTeams.Contains(t.Id) || t.Participants.Any(p => principals.Contains(p)))
                .ToListAsync(cancellationToken);
            var roles = await db.PractitionerRoles.AsNoTracking().Where(r => principals.Contains(r.Practitioner))
                .Select(r => new { r.Organization, r.PeriodStart, r.PeriodEnd }).ToListAsync(cancellationToken);
            var reached = accessible.AllPatients || accessible.Terms.Any(t => t.Term == DecisionTerm.Consent)
                ? null
                : accessible.Patients.Concat(accessible.Withheld).ToList();
            var dependencies = SyncDependencies.Of(principals, token.ClientId, ContextGroups.Of(token), targets,
                teams.Where(t => t.Participants.Any(principals.Contains)).Select(t => t.Id),
                roles.Where(r => r.Organization is not null).Select(r => r.Organization!), reached);
            var sets = dependencies.PatientSets.ToList();
            var members = await db.GroupMembers.AsNoTracking()
                .Where(m => sets.Contains(m.GroupId) && (m.PeriodStart != null || m.PeriodEnd != null))
                .Select(m => new { m.PeriodStart, m.PeriodEnd }).ToListAsync(cancellationToken);
            var consentPatients = dependencies.ConsentPatients.ToList();
            var consents = await db.Consents.AsNoTracking()
                .Where(c => dependencies.AnyConsent || consentPatients.Contains(c.PatientId))
                .Select(c => c.RawJson).ToListAsync(cancellationToken);
            var periods = grants.Select(g => ((DateTimeOffset?)g.ValidFrom, g.ValidUntil))
                .Concat(teams.Select(t => (t.PeriodStart, t.PeriodEnd)))
                .Concat(teams.SelectMany(t => t.Participations).Select(p => (p.PeriodStart, p.PeriodEnd)))
                .Concat(roles.Select(r => (r.PeriodStart, r.PeriodEnd)))
                .Concat(members.Select(m => (m.PeriodStart, m.PeriodEnd)));
            var boundaries = PeriodBoundaries.Of(periods).Concat(consents.SelectMany(ConsentBounds)).Distinct().ToList();
            return new RequesterFacts(dependencies, boundaries);
        }
    }

    private static IEnumerable<DateTimeOffset> ConsentBounds(string json)
    {
        try
        {
            return ConsentBoundaries.Of(ConsentCompiler.Compile(json));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A stored consent that no longer compiles fails its patient's decisions closed at any
            // instant; it has no boundary of its own.
            return [];
        }
    }
}
