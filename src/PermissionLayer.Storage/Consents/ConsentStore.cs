using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Storage.Consents;

/// <summary>Consents. Only the patient's consent grain calls the write methods.</summary>
public sealed class ConsentStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public Task<IReadOnlyList<StoredConsent>> LoadForPatientAsync(string patientId, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return (IReadOnlyList<StoredConsent>)await db.Consents.AsNoTracking()
                .Where(c => c.PatientId == patientId && c.WithdrawnAt == null)
                .OrderBy(c => c.Id)
                .Select(c => new StoredConsent(c.Id, c.RawJson, c.Revision))
                .ToListAsync(cancellationToken);
        });

    /// <summary>Every consent on record (withdrawn ones excluded), ordered by patient: the consent registry's load.</summary>
    public Task<IReadOnlyList<(string PatientId, StoredConsent Consent)>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Consents.AsNoTracking()
                .Where(c => c.WithdrawnAt == null)
                .OrderBy(c => c.PatientId).ThenBy(c => c.Id)
                .Select(c => new { c.PatientId, Consent = new StoredConsent(c.Id, c.RawJson, c.Revision) })
                .ToListAsync(cancellationToken);
            return (IReadOnlyList<(string, StoredConsent)>)[.. rows.Select(r => (r.PatientId, r.Consent))];
        });

    /// <summary>
    /// Creates or replaces a consent (re-instating a withdrawn one), with its change record. Returns the
    /// revision, or the other patient when the consent id already belongs to someone else.
    /// </summary>
    public Task<(long Revision, string? OtherPatient)> PutAsync(
        string patientId, string consentId, string status, string rawJson, string actor, string reason, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await PutInTransactionAsync(db, patientId, consentId, status, rawJson, actor, reason, at, cancellationToken);
            if (result.OtherPatient is null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return result;
        });

    /// <summary>
    /// The write of <see cref="PutAsync"/> inside the caller's open transaction (an import commits many
    /// resources together). Returns the other patient, and writes nothing, when the id is someone else's.
    /// </summary>
    internal static async Task<(long Revision, string? OtherPatient)> PutInTransactionAsync(
        PermissionLayerDbContext db, string patientId, string consentId, string status, string rawJson, string actor, string reason,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = await db.Consents.SingleOrDefaultAsync(c => c.Id == consentId, cancellationToken);
        if (row is not null && row.PatientId != patientId)
        {
            return (0L, row.PatientId);
        }
        var revision = await ChangeLog.RecordAsync(db, "consent.put", $"Consent/{consentId}",
            before: row is null ? null : new { row.PatientId, row.Status, row.WithdrawnAt },
            after: new { PatientId = patientId, Status = status }, actor, reason, at, cancellationToken);
        if (row is null)
        {
            row = new ConsentRow { Id = consentId, PatientId = patientId, Status = status, RawJson = rawJson, CreatedAt = at };
            db.Consents.Add(row);
        }
        row.Status = status;
        row.RawJson = rawJson;
        row.Revision = revision;
        row.UpdatedAt = at;
        row.WithdrawnAt = null;
        row.WithdrawnBy = null;
        row.WithdrawReason = null;
        await db.SaveChangesAsync(cancellationToken);
        return (revision, null);
    }

    /// <summary>Marks a consent withdrawn; returns the revision, or null when the patient has no such consent in force.</summary>
    public Task<long?> WithdrawAsync(
        string patientId, string consentId, string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var row = await db.Consents.SingleOrDefaultAsync(
                c => c.Id == consentId && c.PatientId == patientId && c.WithdrawnAt == null, cancellationToken);
            if (row is null)
            {
                return null;
            }
            var revision = await ChangeLog.RecordAsync(db, "consent.withdrawn", $"Consent/{consentId}",
                before: new { row.PatientId, row.Status }, after: null, actor, reason, at, cancellationToken);
            row.WithdrawnAt = at;
            row.WithdrawnBy = actor;
            row.WithdrawReason = reason;
            row.Revision = revision;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (long?)revision;
        });
}
