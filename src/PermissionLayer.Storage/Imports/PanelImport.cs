using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Imports;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Grants;

namespace PermissionLayer.Storage.Imports;

/// <summary>
/// A practitioner's patient list (FHIR List) as grants from the practitioner to each patient, inside
/// the import's transaction. The grants remember the List they stand for, so a newer version replaces
/// exactly them: patients added get a grant, patients gone have theirs revoked. A <c>changes</c> list
/// only adds; a retired or entered-in-error list revokes everything it granted.
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
        var held = existing.Select(g => g.Target["Patient/".Length..]).ToHashSet(StringComparer.Ordinal);
        var listed = panel.Status == PanelStatus.Current ? panel.PatientIds.ToHashSet(StringComparer.Ordinal) : [];
        var added = listed.Where(p => !held.Contains(p)).Order(StringComparer.Ordinal).ToList();
        var gone = panel.Mode == PanelMode.Changes && panel.Status == PanelStatus.Current
            ? []
            : existing.Where(g => !listed.Contains(g.Target["Patient/".Length..])).ToList();
        var kept = held.Count - gone.Count + added.Count;
        if (added.Count == 0 && gone.Count == 0)
        {
            return new ImportOutcome(source, "unchanged", kept, 0);
        }
        var revision = await ChangeLog.RecordAsync(db, "panel.imported", panel.OwnerPrincipal,
            before: new { list = source, patients = held.Count },
            after: new { list = source, patients = kept, added, removed = gone.Select(g => g.Target), versionId = panel.VersionId },
            actor, reason, at, cancellationToken);
        foreach (var grant in gone)
        {
            grant.RevokedAt = at;
            grant.RevokedRevision = revision;
            grant.RevokedBy = actor;
            grant.RevokeReason = $"no longer on {source}: {reason}";
        }
        db.Grants.AddRange(added.Select(patient => new GrantRow
        {
            Id = Guid.CreateVersion7(at), Principal = panel.OwnerPrincipal, Target = $"Patient/{patient}", Actions = PanelActions,
            ValidFrom = at, Reason = $"on {source}: {reason}", GrantedBy = actor, Revision = revision, Source = source,
        }));
        await db.SaveChangesAsync(cancellationToken);
        return new ImportOutcome(source, existing.Count == 0 ? "created" : "replaced", kept, revision);
    }
}
