using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Imports;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Grants;

namespace PermissionLayer.Storage.Imports;

/// <summary>
/// A practitioner's patient list (FHIR List) as grants from the practitioner to each patient, inside
/// the import's transaction. The grants remember the List they stand for, so a newer version replaces
/// exactly them: patients added get a grant, patients gone have theirs revoked. A <c>changes</c> list
/// adds its entries and revokes those it marks deleted; a retired or entered-in-error list revokes everything it granted. The List's identity is
/// its id, not its <c>source</c>: a version naming another practitioner moves the panel to them, and
/// the former owner's grants from it are revoked in the same transaction.
/// </summary>
internal static class PanelImport
{
    /// <summary>A panel lets its owner read and search the patients' data; writes need a grant of their own.</summary>
    public const string PanelActions = "rs";

    public static async Task<ImportOutcome> ApplyAsync(
        PermissionLayerDbContext db, ImportedPanel panel, string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var source = $"List/{panel.ListId}";
        var existing = await db.Grants.Where(g => g.Source == source && g.RevokedAt == null).ToListAsync(cancellationToken);
        var formerRevision = await RevokeFormerOwnersAsync(db, panel, source, existing, actor, reason, at, cancellationToken);
        var owned = existing.Where(g => g.Principal == panel.OwnerPrincipal).ToList();
        var formerOwners = existing.Select(g => g.Principal).Where(p => p != panel.OwnerPrincipal).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).ToList();
        var held = owned.Select(g => PatientOf(g)).ToHashSet(StringComparer.Ordinal);
        var listed = panel.Status == PanelStatus.Current ? panel.PatientIds.ToHashSet(StringComparer.Ordinal) : [];
        var added = listed.Where(p => !held.Contains(p)).Order(StringComparer.Ordinal).ToList();
        // A changes List adds its entries and takes off those it marks deleted; any other replaces.
        var deleted = panel.DeletedPatientIds.ToHashSet(StringComparer.Ordinal);
        var gone = panel.Mode == PanelMode.Changes && panel.Status == PanelStatus.Current
            ? owned.Where(g => deleted.Contains(PatientOf(g))).ToList()
            : owned.Where(g => !listed.Contains(PatientOf(g))).ToList();
        var kept = held.Count - gone.Count + added.Count;
        if (added.Count == 0 && gone.Count == 0)
        {
            return formerRevision == 0
                ? new ImportOutcome(source, "unchanged", kept, 0)
                : new ImportOutcome(source, "replaced", kept, formerRevision, formerOwners);
        }
        var revision = await ChangeLog.RecordAsync(db, "panel.imported", panel.OwnerPrincipal, [ChangedEntity.PrincipalOf(panel.OwnerPrincipal)],
            before: new { list = source, patients = held.Count },
            after: new { list = source, patients = kept, added, removed = gone.Select(g => g.Target), versionId = panel.VersionId },
            actor, reason, at, cancellationToken);
        foreach (var grant in gone)
        {
            Revoke(grant, revision, actor, $"no longer on {source}: {reason}", at);
        }
        db.Grants.AddRange(added.Select(patient => new GrantRow
        {
            Id = Guid.CreateVersion7(at), Principal = panel.OwnerPrincipal, Target = new GrantTarget.Patient(patient).ToString(), Actions = PanelActions,
            ValidFrom = at, Reason = $"on {source}: {reason}", GrantedBy = actor, Revision = revision, Source = source,
        }));
        await db.SaveChangesAsync(cancellationToken);
        return new ImportOutcome(source, existing.Count == 0 ? "created" : "replaced", kept, revision, formerOwners.Count == 0 ? null : formerOwners);
    }

    /// <summary>
    /// Revokes the List's grants held by anyone but its current owner (the List has moved to another
    /// practitioner), one change per former owner, recorded against them; returns the last revision,
    /// or 0 when the List has not moved.
    /// </summary>
    private static async Task<long> RevokeFormerOwnersAsync(
        PermissionLayerDbContext db, ImportedPanel panel, string source, List<GrantRow> existing, string actor, string reason,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        var revision = 0L;
        foreach (var former in existing.Where(g => g.Principal != panel.OwnerPrincipal).GroupBy(g => g.Principal, StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var grants = former.ToList();
            revision = await ChangeLog.RecordAsync(db, "panel.imported", former.Key, [ChangedEntity.PrincipalOf(former.Key)],
                before: new { list = source, patients = grants.Count },
                after: new { list = source, patients = 0, movedTo = panel.OwnerPrincipal, removed = grants.Select(g => g.Target), versionId = panel.VersionId },
                actor, reason, at, cancellationToken);
            foreach (var grant in grants)
            {
                Revoke(grant, revision, actor, $"{source} now belongs to {panel.OwnerPrincipal}: {reason}", at);
            }
            await db.SaveChangesAsync(cancellationToken); // the change row: the next revision is taken after it
        }
        return revision;
    }

    /// <summary>
    /// The patient a panel grant targets, by the one target parser: a grant on the List that targets
    /// anything else was not written by a panel import, and the import stops rather than misread it.
    /// </summary>
    private static string PatientOf(GrantRow grant) =>
        GrantTarget.TryParse(grant.Target, out var target) && target is GrantTarget.Patient patient
            ? patient.Id
            : throw new InvalidOperationException($"grant {grant.Id} from {grant.Source} targets '{grant.Target}', not a patient");

    private static void Revoke(GrantRow grant, long revision, string actor, string reason, DateTimeOffset at)
    {
        grant.RevokedAt = at;
        grant.RevokedRevision = revision;
        grant.RevokedBy = actor;
        grant.RevokeReason = reason;
    }
}
