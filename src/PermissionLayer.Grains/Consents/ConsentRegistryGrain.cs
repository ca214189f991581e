using Microsoft.Extensions.Logging;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Grains.Consents;

/// <inheritdoc cref="IConsentRegistryGrain"/>
/// <remarks>
/// Fenced by revision rather than told of changes: before every screen it asks PostgreSQL for the latest
/// committed revision and the patients whose consents changed since the one it has applied, and re-reads
/// those of its shard. A change acknowledged before the screen began is therefore always seen — whichever
/// grain, node or import wrote it, and even if this activation missed a notification or was moved. If
/// that read fails, the screen fails (the search is UNAVAILABLE), never answered from a possibly stale
/// registry. Kept alive: loading its consents is work a search should not wait for. Consents are read
/// from their stored compiled form when this build wrote it; those it had to compile from JSON (written
/// by another build, or in bulk through SQL) have their form stored, so the next start reads them without compiling.
/// </remarks>
[KeepAlive]
public sealed class ConsentRegistryGrain(
    ConsentStore store, ConsentDefaults defaults, ConsentRegistryProgress progress, ILogger<ConsentRegistryGrain> logger) : Grain, IConsentRegistryGrain
{
    private readonly Dictionary<string, IReadOnlyList<CompiledConsent>> _byPatient = new(StringComparer.Ordinal);
    private string[]? _sortedPatients;
    private long _applied;
    private int _shard;
    private int _shards;

    /// <summary>
    /// The shard's first load, started at activation but not awaited by it: compiling thousands of consents
    /// can outlast the runtime's activation timeout on a busy node, which would cancel the activation and
    /// start it over, for ever. Every call awaits it; one that times out leaves it running for the next.
    /// </summary>
    private Task? _loading;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ConsentRegistryShards.TryParseKey(this.GetPrimaryKeyString(), out _shard, out _shards))
        {
            throw new InvalidOperationException($"'{this.GetPrimaryKeyString()}' is not a consent registry shard key (shard/count)");
        }
        _loading = LoadAsync();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        progress.Left(_shard);
        return Task.CompletedTask;
    }

    /// <summary>Reads and compiles the shard's consents on the thread pool (in parallel with the other shards), then takes them.</summary>
    private async Task LoadAsync()
    {
        var (revision, byPatient, freshForms) = await Task.Run(async () =>
        {
            var (revision, stored) = await StorageGuard.Run(() => store.LoadShardAsync(_shard, _shards));
            // As in a patient's grain: a stored consent that no longer compiles fails the load, and
            // population searches fail closed, rather than reaching that patient as if it were not there.
            var freshForms = new List<(string, long, string)>();
            var byPatient = stored.GroupBy(s => s.PatientId, StringComparer.Ordinal)
                .ToDictionary(p => p.Key, p => Compile(p.Key, p.Select(s => s.Consent), freshForms), StringComparer.Ordinal);
            return (revision, byPatient, freshForms);
        });
        // The load replaces the shard's state whole: a load that runs again (after one that failed) must
        // not keep a patient it no longer reads, whose consent was withdrawn meanwhile.
        _byPatient.Clear();
        foreach (var (patient, consents) in byPatient)
        {
            _byPatient[patient] = consents;
        }
        _sortedPatients = null;
        _applied = revision;
        progress.Applied(_shard, revision);
        await StoreFormsAsync(freshForms);
    }

    /// <summary>The first load, done; a load that failed (PostgreSQL unreachable) is started again by the next call.</summary>
    private async Task LoadedAsync()
    {
        if (_loading is { IsFaulted: true } or { IsCanceled: true })
        {
            _loading = LoadAsync();
        }
        await _loading!;
    }

    async Task<int> IConsentRegistryGrain.PatientsWithConsents()
    {
        await LoadedAsync();
        await CatchUpAsync();
        return _byPatient.Count;
    }

    async Task<ConsentScreen> IConsentRegistryGrain.Screen(ConsentScreening screening)
    {
        await LoadedAsync();
        await CatchUpAsync();
        // A candidate of another shard would be screened as a patient without consent: refuse, never guess.
        if (screening.Candidates?.FirstOrDefault(p => ConsentShards.Of(p, _shards) != _shard) is { } stray)
        {
            throw new InvalidOperationException($"Patient/{stray} is not in consent registry shard {_shard}/{_shards}");
        }
        _sortedPatients ??= [.. _byPatient.Keys.Order(StringComparer.Ordinal)];
        var screen = PopulationScreen.Of(
            screening.Candidates, _sortedPatients, patient => _byPatient.GetValueOrDefault(patient), screening.Question.ToRequest(), defaults.PolicyRule);
        return screen.ToScreen();
    }

    private async Task CatchUpAsync()
    {
        var (latest, changed) = await StorageGuard.Run(() => store.ChangedSinceAsync(_applied));
        var patients = changed.Where(p => ConsentShards.Of(p, _shards) == _shard).ToList();
        if (patients.Count > 0)
        {
            var stored = await StorageGuard.Run(() => store.LoadForPatientsAsync(patients));
            var freshForms = new List<(string, long, string)>();
            foreach (var patient in patients)
            {
                Adopt(patient, stored[patient], freshForms);
            }
            await StoreFormsAsync(freshForms);
        }
        _applied = latest;
        progress.Applied(_shard, latest);
    }

    /// <summary>Takes a patient's consents on record as theirs (none: the patient leaves the registry).</summary>
    private void Adopt(string patient, IEnumerable<StoredConsent> stored, List<(string, long, string)> freshForms)
    {
        var compiled = Compile(patient, stored, freshForms);
        if (compiled.Count == 0)
        {
            _byPatient.Remove(patient);
        }
        else
        {
            _byPatient[patient] = compiled;
        }
        _sortedPatients = null;
    }

    private static List<CompiledConsent> Compile(string patient, IEnumerable<StoredConsent> stored, List<(string, long, string)> freshForms)
    {
        var compiled = new List<CompiledConsent>();
        foreach (var consent in stored)
        {
            compiled.Add(StoredConsents.Compile(patient, consent, out var freshForm));
            if (freshForm is not null)
            {
                freshForms.Add((consent.ConsentId, consent.Revision, freshForm));
            }
        }
        return compiled;
    }

    /// <summary>
    /// A cache write: if it fails, for whatever reason, the next start compiles those consents again and
    /// nothing any decision reads differs meanwhile — so its failure never fails the load or the screen.
    /// </summary>
    private async Task StoreFormsAsync(List<(string ConsentId, long Revision, string Form)> forms)
    {
        if (forms.Count == 0)
        {
            return;
        }
        try
        {
            await store.StoreCompiledFormsAsync(forms);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Consent registry shard {Shard}/{Shards}: compiled forms not stored; the next start compiles those consents again", _shard, _shards);
        }
    }
}
