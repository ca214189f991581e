using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Imports;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Fhir.Imports;
using PermissionLayer.Grains;
using PermissionLayer.Grains.Batches;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.CareTeams;
using PermissionLayer.Grains.Abstractions.Groups;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Storage.Imports;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>
/// FHIR import: read and check everything, apply it all in one PostgreSQL transaction, then have
/// each touched grain re-read its facts before the final "done" (so the next decision sees them).
/// </summary>
public sealed partial class AdminGrpcService
{
    public override async Task Import(ImportRequest request, IServerStreamWriter<ImportProgress> responseStream, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new RequestValidationException("reason", "is required");
        }
        var facts = await ReadAsync(request, context.CancellationToken);
        await responseStream.WriteAsync(new ImportProgress { Stage = "read", ResourcesTotal = facts.Count }, context.CancellationToken);

        var applied = 0;
        var actor = Actor(context);
        // Every touched grain reloads before "done"; every silo also applies the import from the change
        // log before it reports its revision (GrainReloads), so no silo shows it before it holds it.
        var outcomes = await GrainReloads.CommitThenReloadAsync(
            () => importStore.ApplyAsync(facts, actor, request.Reason.Trim(), DateTimeOffset.UtcNow, async outcome =>
            {
                var progress = new ImportProgress { Stage = "applying", ResourcesTotal = facts.Count, ResourcesApplied = ++applied };
                progress.Resources.Add(ToWire(outcome));
                await responseStream.WriteAsync(progress, context.CancellationToken);
            }, context.CancellationToken),
            committed => committed.Count == 0 ? 0 : committed.Max(o => o.Revision),
            committed => committed is null
                ? facts.SelectMany(fact => Reloads(fact, null)) // an answer lost after COMMIT: whatever it may have touched
                : facts.Zip(committed).Where(p => p.Second.Revision > 0).SelectMany(p => Reloads(p.First, p.Second)),
            afterCommit, sync);
        var done = new ImportProgress
        {
            Stage = "done", ResourcesTotal = facts.Count, ResourcesApplied = applied,
            Revision = outcomes.Count == 0 ? 0 : outcomes.Max(o => o.Revision),
        };
        done.Resources.AddRange(outcomes.Select(ToWire));
        await responseStream.WriteAsync(done, context.CancellationToken);
    }

    /// <summary>The grains an applied fact touched: its own, and the former owners of a panel that moved.</summary>
    private IEnumerable<Func<Task>> Reloads(ImportedFact changed, ImportOutcome? outcome)
    {
        yield return () => changed switch
        {
            ImportedGroup group => grains.GetGrain<IGroupGrain>(PatientSets.GroupKey(group.GroupId)).Reload(),
            ImportedCareTeam team => grains.GetGrain<ICareTeamGrain>(team.CareTeamId).Reload(),
            ImportedPanel panel => grains.GetGrain<IPrincipalGrain>(panel.OwnerPrincipal).Reload(),
            ImportedPractitionerRole role => grains.GetGrain<IPrincipalGrain>(role.PractitionerReference).Reload(),
            CheckedConsent consent => grains.GetGrain<IPatientConsentGrain>(consent.PatientId).Reload(),
            _ => Task.CompletedTask,
        };
        foreach (var former in outcome?.FormerOwners ?? [])
        {
            yield return () => grains.GetGrain<IPrincipalGrain>(former).Reload();
        }
    }

    /// <summary>
    /// Every fact of the input, or an exception naming the first bad resource (nothing applied).
    /// Consents are compiled here, as <c>PutConsent</c> does, so an unsupported element fails the
    /// import before anything is written.
    /// </summary>
    private static async Task<IReadOnlyList<ImportedFact>> ReadAsync(ImportRequest request, CancellationToken cancellationToken) =>
        [.. (await ReadFactsAsync(request, cancellationToken)).Select(fact => fact is ImportedConsentJson json ? Check(json) : fact)];

    private static CheckedConsent Check(ImportedConsentJson json)
    {
        var consent = ConsentCompiler.Compile(json.Json);
        return new CheckedConsent(
            consent.ConsentId, consent.PatientId, consent.Status, json.Json, CompiledConsentForm.Write(consent), json.VersionId, json.LastUpdated);
    }

    private static async Task<IReadOnlyList<ImportedFact>> ReadFactsAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        var reader = new FhirImportReader();
        switch (request.Format)
        {
            case "json":
                return reader.ReadJson(request.Content);
            case "ndjson":
                var facts = new List<ImportedFact>();
                await foreach (var fact in reader.ReadNdjsonAsync(new StringReader(request.Content), cancellationToken))
                {
                    facts.Add(fact);
                }
                return facts;
            default:
                throw new RequestValidationException("format", $"'{request.Format}' is not one of json, ndjson");
        }
    }

    private static ImportedResource ToWire(ImportOutcome outcome) => new()
    {
        Reference = outcome.Reference, Outcome = outcome.Outcome, Count = outcome.Count, Revision = outcome.Revision,
    };
}
