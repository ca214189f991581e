using Microsoft.EntityFrameworkCore;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Storage.Consents;

/// <summary>Consents. Only the patient's consent grain calls the write methods.</summary>
public sealed class ConsentStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    public async Task<IReadOnlyList<StoredConsent>> LoadForPatientAsync(string patientId, CancellationToken cancellationToken = default) =>
        [.. (await LoadForPatientsAsync([patientId], cancellationToken))[patientId]];

    /// <summary>
    /// The consents on record (withdrawn ones excluded) of the patients in one of the consent registry's
    /// shards (<see cref="ConsentShards"/>), ordered by patient, and the revision they are at least as
    /// fresh as. The revision is read first; revisions commit in order, so every change after it has a
    /// higher revision and shows in <see cref="ChangedSinceAsync"/>.
    /// </summary>
    public Task<(long Revision, IReadOnlyList<(string PatientId, StoredConsent Consent)> Consents)> LoadShardAsync(
        int shard, int shards, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var revision = await ChangeLog.CurrentAsync(db, cancellationToken);
            // The same function as ConsentShards.Of: the first 31 bits of md5(patient_id), modulo the shards.
            var rows = await db.Consents
                .FromSql($"""
                    SELECT * FROM consents
                    WHERE withdrawn_at IS NULL
                      AND ((('x' || substr(md5(patient_id), 1, 8))::bit(32)::int & 2147483647) % {shards}) = {shard}
                    """)
                .AsNoTracking()
                .OrderBy(c => c.PatientId).ThenBy(c => c.Id)
                .Select(c => new { c.PatientId, Consent = new StoredConsent(c.Id, c.RawJson, c.Revision, c.CompiledForm) })
                .ToListAsync(cancellationToken);
            return (revision, (IReadOnlyList<(string, StoredConsent)>)[.. rows.Select(r => (r.PatientId, r.Consent))]);
        });

    /// <summary>
    /// Keeps compiled forms beside their consents, each only if the consent is still at the revision it
    /// was compiled from (a put since then wrote its own). Not a change: nothing any decision reads
    /// differs, so no revision is taken.
    /// </summary>
    public Task StoreCompiledFormsAsync(IReadOnlyList<(string ConsentId, long Revision, string Form)> forms, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            foreach (var chunk in forms.Chunk(500))
            {
                var ids = chunk.Select(f => f.ConsentId).ToArray();
                var revisions = chunk.Select(f => f.Revision).ToArray();
                var texts = chunk.Select(f => f.Form).ToArray();
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE consents c SET compiled_form = f.form
                    FROM unnest({ids}, {revisions}, {texts}) AS f(id, revision, form)
                    WHERE c.id = f.id AND c.revision = f.revision
                    """, cancellationToken);
            }
            return true;
        });

    /// <summary>
    /// The latest committed revision, and the patients whose consents were put or withdrawn after
    /// <paramref name="revision"/> up to it (through the change log's primary key: a short range scan).
    /// </summary>
    public Task<(long Latest, IReadOnlyList<string> Patients)> ChangedSinceAsync(long revision, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var latest = await ChangeLog.CurrentAsync(db, cancellationToken);
            if (latest == revision)
            {
                return (latest, (IReadOnlyList<string>)[]);
            }
            // The patients are the changes' own consent entities (ChangedEntity), as every silo's catch-up reads them.
            var prefix = ChangedEntity.PatientConsent + ":";
            var patients = await db.Database.SqlQuery<string>($"""
                SELECT DISTINCT substr(entity, {prefix.Length + 1}) AS "Value"
                FROM entitlement_changes e, unnest(e.entities) AS entity
                WHERE e.revision > {revision} AND e.revision <= {latest} AND starts_with(entity, {prefix})
                """).ToListAsync(cancellationToken);
            return (latest, (IReadOnlyList<string>)patients);
        });

    /// <summary>The consents on record (withdrawn ones excluded) of each of these patients.</summary>
    public Task<ILookup<string, StoredConsent>> LoadForPatientsAsync(IReadOnlyList<string> patientIds, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Consents.AsNoTracking()
                .Where(c => patientIds.Contains(c.PatientId) && c.WithdrawnAt == null)
                .OrderBy(c => c.Id)
                .Select(c => new { c.PatientId, Consent = new StoredConsent(c.Id, c.RawJson, c.Revision, c.CompiledForm) })
                .ToListAsync(cancellationToken);
            return rows.ToLookup(r => r.PatientId, r => r.Consent, StringComparer.Ordinal);
        });

    /// <summary>Consent changes are recorded with the subject <c>Consent/&lt;id&gt;</c>.</summary>
    private const string ConsentSubjectPrefix = "Consent/";

    /// <summary>
    /// Creates or replaces a consent (re-instating a withdrawn one), with its change record. Returns the
    /// revision, or the other patient when the consent id already belongs to someone else.
    /// </summary>
    public Task<(long Revision, string? OtherPatient)> PutAsync(
        string patientId, string consentId, string status, string rawJson, string compiledForm, string actor, string reason, DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await PutInTransactionAsync(db, patientId, consentId, status, rawJson, compiledForm, actor, reason, at, cancellationToken);
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
        PermissionLayerDbContext db, string patientId, string consentId, string status, string rawJson, string compiledForm, string actor,
        string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = await db.Consents.SingleOrDefaultAsync(c => c.Id == consentId, cancellationToken);
        if (row is not null && row.PatientId != patientId)
        {
            return (0L, row.PatientId);
        }
        var revision = await ChangeLog.RecordAsync(db, "consent.put", $"{ConsentSubjectPrefix}{consentId}",
            [ChangedEntity.ConsentsOf(patientId)],
            before: row is null ? null : new { row.PatientId, row.Status, row.WithdrawnAt },
            after: new { PatientId = patientId, Status = status }, actor, reason, at, cancellationToken);
        if (row is null)
        {
            row = new ConsentRow { Id = consentId, PatientId = patientId, Status = status, RawJson = rawJson, CreatedAt = at };
            db.Consents.Add(row);
        }
        row.Status = status;
        row.RawJson = rawJson;
        row.CompiledForm = compiledForm;
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
            var revision = await ChangeLog.RecordAsync(db, "consent.withdrawn", $"{ConsentSubjectPrefix}{consentId}", [ChangedEntity.ConsentsOf(patientId)],
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
