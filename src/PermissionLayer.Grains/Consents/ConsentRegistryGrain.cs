using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Grains.Consents;

/// <inheritdoc cref="IConsentRegistryGrain"/>
/// <remarks>
/// Fenced by revision rather than told of changes: before every screen it asks PostgreSQL for the latest
/// committed revision and the patients whose consents changed since the one it has applied, and re-reads
/// them. A change acknowledged before the screen began is therefore always seen — whichever grain, node
/// or import wrote it, and even if this activation missed a notification or was moved. If that read
/// fails, the screen fails (the search is UNAVAILABLE), never answered from a possibly stale registry.
/// Kept alive: loading compiles every consent on record, which a search should not wait for.
/// </remarks>
[KeepAlive]
public sealed class ConsentRegistryGrain(ConsentStore store, ConsentDefaults defaults) : Grain, IConsentRegistryGrain
{
    private readonly Dictionary<string, IReadOnlyList<CompiledConsent>> _byPatient = new(StringComparer.Ordinal);
    private string[]? _sortedPatients;
    private long _applied;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (revision, stored) = await StorageGuard.Run(() => store.LoadAllAsync(cancellationToken));
        // As in a patient's grain: a stored consent that no longer compiles fails the activation, and
        // population searches fail closed, rather than reaching that patient as if it were not there.
        foreach (var patient in stored.GroupBy(s => s.PatientId, StringComparer.Ordinal))
        {
            Adopt(patient.Key, patient.Select(s => s.Consent));
        }
        _applied = revision;
    }

    async Task<int> IConsentRegistryGrain.PatientsWithConsents()
    {
        await CatchUpAsync();
        return _byPatient.Count;
    }

    async Task<ConsentScreen> IConsentRegistryGrain.Screen(ConsentScreening screening)
    {
        await CatchUpAsync();
        _sortedPatients ??= [.. _byPatient.Keys.Order(StringComparer.Ordinal)];
        var screen = PopulationScreen.Of(
            screening.Candidates, _sortedPatients, patient => _byPatient.GetValueOrDefault(patient), screening.Question.ToRequest(), defaults.PolicyRule);
        return new ConsentScreen(screen.Withheld, screen.OnlyPermitted, screen.PatientsWithConsents) { CarriedWithheld = screen.CarriedWithheld };
    }

    private async Task CatchUpAsync()
    {
        var (latest, patients) = await StorageGuard.Run(() => store.ChangedSinceAsync(_applied));
        if (patients.Count > 0)
        {
            var stored = await StorageGuard.Run(() => store.LoadForPatientsAsync(patients));
            foreach (var patient in patients)
            {
                Adopt(patient, stored[patient]);
            }
        }
        _applied = latest;
    }

    /// <summary>Takes a patient's consents on record as theirs (none: the patient leaves the registry).</summary>
    private void Adopt(string patient, IEnumerable<StoredConsent> stored)
    {
        var compiled = stored.Select(s => ConsentCompiler.Compile(s.RawJson)).ToList();
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
}
