using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Imports;
using PermissionLayer.Core.References;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Storage.Imports;

/// <summary>
/// A Consent that the caller has already compiled (so it is known to be supported, and whose patient
/// it is), stored as received inside the import's transaction, with its compiled form.
/// </summary>
public sealed record CheckedConsent(
    string ConsentId, string PatientId, string Status, string Json, string CompiledForm, string? VersionId, DateTimeOffset? LastUpdated)
    : ImportedFact(VersionId, LastUpdated)
{
    public override FhirReference Resource => new("Consent", ConsentId);
}

/// <summary>Stores an imported Consent; re-importing the same JSON changes nothing.</summary>
internal static class ConsentImport
{
    public static async Task<ImportOutcome> ApplyAsync(
        PermissionLayerDbContext db, CheckedConsent consent, string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var reference = $"Consent/{consent.ConsentId}";
        var existing = await db.Consents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consent.ConsentId, cancellationToken);
        if (existing is { WithdrawnAt: null } && existing.PatientId == consent.PatientId && existing.Status == consent.Status
            && existing.RawJson == consent.Json)
        {
            return new ImportOutcome(reference, "unchanged", 1, 0);
        }
        var (revision, other) = await ConsentStore.PutInTransactionAsync(
            db, consent.PatientId, consent.ConsentId, consent.Status, consent.Json, consent.CompiledForm, actor, reason, at, cancellationToken);
        if (other is not null)
        {
            throw new ImportConflictException($"{reference} belongs to Patient/{other}; a consent cannot move to another patient; nothing was imported");
        }
        return new ImportOutcome(reference, existing is null ? "created" : "replaced", 1, revision);
    }
}
