using System.Collections.Immutable;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Fhir.Imports;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Storage.Changes;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Grains.Consents;

/// <inheritdoc cref="IPatientConsentGrain"/>
/// <remarks>Loads, changes and reloads its <see cref="PatientConsentState"/> through <see cref="GrainLifecycle{TSnapshot}"/>.</remarks>
public sealed class PatientConsentGrain(ConsentStore store, TimeProvider time, ConsentDefaults defaults, LifecycleServices lifecycles)
    : Grain, IPatientConsentGrain, IIncomingGrainCallFilter
{
    private GrainLifecycle<PatientConsentState>? _lifecycle;

    private string PatientId => this.GetPrimaryKeyString();

    private GrainLifecycle<PatientConsentState> Lifecycle => _lifecycle ??= new(
        this, ChangedEntity.ConsentsOf(PatientId), lifecycles, lifecycles.Published.PatientConsents, new PatientConsentState(PatientId, []), LoadAsync);

    private PatientConsentState State => Lifecycle.Snapshot;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => Lifecycle.ActivateAsync(cancellationToken);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Lifecycle.Deactivate();
        return Task.CompletedTask;
    }

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => Lifecycle.InvokeAsync(context);

    Task IPatientConsentGrain.Reload() => Lifecycle.ReloadAfterAsync();

    private async Task<PatientConsentState> LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await StorageGuard.Run(() => store.LoadForPatientAsync(PatientId, cancellationToken));
        // A stored consent that no longer compiles fails the activation, and with it every decision for
        // this patient: failing closed beats applying the patient's other consents without it.
        return new PatientConsentState(PatientId, [.. stored.Select(s => StoredConsents.Compile(PatientId, s, out _))]);
    }

    async Task<long> IPatientConsentGrain.Put(ConsentSubmission submission)
    {
        if (string.IsNullOrWhiteSpace(submission.Reason))
        {
            throw new EntitlementValidationException("reason is required to change a consent");
        }
        var consent = Compile(submission.Json);
        if (consent.ConsentId != submission.ConsentId)
        {
            throw new EntitlementValidationException($"Consent.id '{consent.ConsentId}' differs from the consent id '{submission.ConsentId}' it is put under");
        }
        if (consent.PatientId != PatientId)
        {
            throw new EntitlementValidationException($"Consent.patient is Patient/{consent.PatientId}, not Patient/{PatientId}");
        }
        return await Lifecycle.ChangeAsync(async state =>
        {
            var (revision, other) = await StorageGuard.Run(() => store.PutAsync(
                PatientId, consent.ConsentId, consent.Status, submission.Json, CompiledConsentForm.Write(consent), submission.Actor, submission.Reason.Trim(), time.GetUtcNow()));
            if (other is not null)
            {
                throw new EntitlementValidationException($"Consent/{consent.ConsentId} belongs to Patient/{other}; a consent cannot move to another patient");
            }
            return Applied(state.Consents.RemoveAll(c => c.ConsentId == consent.ConsentId).Add(consent), revision);
        });
    }

    async Task<long> IPatientConsentGrain.Withdraw(string consentId, string actor, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new EntitlementValidationException("reason is required to withdraw a consent");
        }
        return await Lifecycle.ChangeAsync(async state =>
        {
            var revision = await StorageGuard.Run(() => store.WithdrawAsync(PatientId, consentId, actor, reason.Trim(), time.GetUtcNow()))
                ?? throw new EntitlementNotFoundException($"Patient/{PatientId} has no consent {consentId} on record");
            return Applied(state.Consents.RemoveAll(c => c.ConsentId == consentId), revision);
        });
    }

    Task<ConsentAnswer> IPatientConsentGrain.Decide(ConsentQuestion question) => Task.FromResult(State.Decide(question, defaults.PolicyRule));

    Task<IReadOnlyList<string>> IPatientConsentGrain.ConsentIds() =>
        Task.FromResult<IReadOnlyList<string>>([.. State.Consents.Select(c => c.ConsentId)]);

    /// <summary>The patient's consents as they stand after a committed change.</summary>
    private AppliedChange<PatientConsentState, long> Applied(ImmutableList<CompiledConsent> consents, long revision) =>
        new(new PatientConsentState(PatientId, consents), revision, revision);

    private static CompiledConsent Compile(string json)
    {
        try
        {
            return ConsentCompiler.Compile(json);
        }
        catch (FhirImportException e)
        {
            // Carried to the caller as INVALID_ARGUMENT with the element named.
            throw new EntitlementValidationException(e.Message);
        }
    }
}
