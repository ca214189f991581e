using PermissionLayer.Core.Consents;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Grains.Consents;

/// <inheritdoc cref="IConsentRegistryGrain"/>
/// <remarks>
/// Kept alive: loading means compiling every consent on record, which a population search should not
/// wait for after an idle spell.
/// </remarks>
[KeepAlive]
public sealed class ConsentRegistryGrain(ConsentStore store, ConsentDefaults defaults) : Grain, IConsentRegistryGrain
{
    private readonly Dictionary<string, IReadOnlyList<CompiledConsent>> _byPatient = new(StringComparer.Ordinal);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = await StorageGuard.Run(() => store.LoadAllAsync(cancellationToken));
        // As in a patient's grain: a stored consent that no longer compiles fails the activation, and
        // population searches fail closed, rather than reaching that patient as if it were not there.
        foreach (var patient in stored.GroupBy(s => s.PatientId, StringComparer.Ordinal))
        {
            _byPatient[patient.Key] = [.. patient.Select(s => ConsentCompiler.Compile(s.Consent.RawJson))];
        }
    }

    async Task IConsentRegistryGrain.Refresh(string patientId)
    {
        try
        {
            var stored = await StorageGuard.Run(() => store.LoadForPatientAsync(patientId));
            if (stored.Count == 0)
            {
                _byPatient.Remove(patientId);
            }
            else
            {
                _byPatient[patientId] = [.. stored.Select(s => ConsentCompiler.Compile(s.RawJson))];
            }
        }
        catch
        {
            // A registry that missed a change could let a population search reach a patient who has just
            // opted out: start over from PostgreSQL on the next call instead.
            DeactivateOnIdle();
            throw;
        }
    }

    Task<int> IConsentRegistryGrain.PatientsWithConsents() => Task.FromResult(_byPatient.Count);

    Task<ConsentScreen> IConsentRegistryGrain.Screen(ConsentScreening screening)
    {
        var request = screening.Question.ToRequest();
        var withheld = new List<string>();
        if (screening.Candidates is { } candidates)
        {
            withheld.AddRange(candidates.Where(patient => !Allows(patient, request)));
            return Task.FromResult(new ConsentScreen(withheld, null, _byPatient.Count));
        }
        // Every patient: those without consent follow the deployment default; when it denies, only
        // patients whose consent permits can be reached, and they are all here.
        var permitted = defaults.PolicyRule.Base() == ProvisionType.Deny ? new List<string>() : null;
        foreach (var patient in _byPatient.Keys.Order(StringComparer.Ordinal))
        {
            (Allows(patient, request) ? permitted : withheld)?.Add(patient);
        }
        return Task.FromResult(new ConsentScreen(withheld, permitted, _byPatient.Count));
    }

    /// <summary>Whether the patient's consents let the requester have all of the data the question may cover.</summary>
    private bool Allows(string patient, ConsentRequest request)
    {
        if (!_byPatient.TryGetValue(patient, out var consents))
        {
            return defaults.PolicyRule.Base() == ProvisionType.Permit;
        }
        var verdict = ConsentEvaluator.Evaluate(patient, consents, request, defaults.PolicyRule);
        return verdict.Permitted && verdict.ExcludedLabels.Count == 0;
    }
}
