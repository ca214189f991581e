using Microsoft.EntityFrameworkCore;
using PermissionLayer.Core.Imports;

namespace PermissionLayer.Storage.Imports;

/// <summary>
/// Applies a whole import in one transaction: every resource, or none. The caller has already read
/// and checked every resource (the reader fails before anything is applied); this fails closed on
/// anything it cannot apply, naming it, and rolls everything back.
/// </summary>
public sealed class ImportStore(IDbContextFactory<PermissionLayerDbContext> contexts)
{
    /// <param name="facts">The checked facts, in input order.</param>
    /// <param name="actor">Who imports (API key name).</param>
    /// <param name="reason">Why; recorded with every change.</param>
    /// <param name="at">When.</param>
    /// <param name="applied">Told after each resource is applied (inside the transaction, so not yet durable).</param>
    /// <param name="cancellationToken">Cancels and rolls back.</param>
    public Task<IReadOnlyList<ImportOutcome>> ApplyAsync(
        IReadOnlyList<ImportedFact> facts, string actor, string reason, DateTimeOffset at,
        Func<ImportOutcome, Task> applied, CancellationToken cancellationToken = default) =>
        StorageCall.RunAsync(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var outcomes = new List<ImportOutcome>();
            foreach (var fact in facts)
            {
                var outcome = fact switch
                {
                    ImportedGroup group => await GroupImport.ApplyAsync(db, group, actor, reason, at, cancellationToken),
                    ImportedCareTeam team => await CareTeamImport.ApplyAsync(db, team, actor, reason, at, cancellationToken),
                    ImportedPanel panel => await PanelImport.ApplyAsync(db, panel, actor, reason, at, cancellationToken),
                    CheckedConsent consent => await ConsentImport.ApplyAsync(db, consent, actor, reason, at, cancellationToken),
                    ImportedPractitionerRole role => await PractitionerRoleImport.ApplyAsync(db, role, actor, reason, at, cancellationToken),
                    _ => throw new UnsupportedImportException(fact.Resource.ToString()),
                };
                outcomes.Add(outcome);
                await applied(outcome);
            }
            await transaction.CommitAsync(cancellationToken);
            return (IReadOnlyList<ImportOutcome>)outcomes;
        });
}

/// <summary>The import holds a resource type this build reads but does not apply yet; nothing was applied.</summary>
public sealed class UnsupportedImportException(string resource)
    : Exception($"{resource}: importing this resource type is not supported yet (Group, CareTeam, List, PractitionerRole and Consent are); nothing was imported")
{
    public string Resource { get; } = resource;
}

/// <summary>A resource cannot be applied as it stands (e.g. a Consent id that belongs to another patient); nothing was imported.</summary>
public sealed class ImportConflictException(string message) : Exception(message);
