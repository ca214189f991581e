using System.Collections.Immutable;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Fhir.Imports;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Grains.Consents;

/// <inheritdoc cref="IPatientConsentGrain"/>
public sealed class PatientConsentGrain(
    ConsentStore store, TimeProvider time, RevisionClock revisions, ConsentDefaults defaults, PublishedStates published)
    : Grain, IPatientConsentGrain
{
    private PatientConsentState _state = new("", []);
    private StatePublisher<PatientConsentState>? _publisher;

    private string PatientId => this.GetPrimaryKeyString();

    private StatePublisher<PatientConsentState> Publisher => _publisher ??= new(published.PatientConsents, this, PatientId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!cancellationToken.IsCancellationRequested) // a timed-out activation is being abandoned
        {
            Publisher.Publish(_state);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Publisher.Withdraw();
        return Task.CompletedTask;
    }

    Task IPatientConsentGrain.Reload() => Publisher.ReloadAsync(() => LoadAsync(CancellationToken.None), () => _state);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await StorageGuard.Run(() => store.LoadForPatientAsync(PatientId, cancellationToken));
        // A stored consent that no longer compiles fails the activation, and with it every decision for
        // this patient: failing closed beats applying the patient's other consents without it.
        _state = new PatientConsentState(PatientId, [.. stored.Select(s => ConsentCompiler.Compile(s.RawJson))]);
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
        return await Publisher.CommitAsync(async () =>
        {
            var (revision, other) = await StorageGuard.Run(() => store.PutAsync(
                PatientId, consent.ConsentId, consent.Status, submission.Json, submission.Actor, submission.Reason.Trim(), time.GetUtcNow()));
            if (other is not null)
            {
                throw new EntitlementValidationException($"Consent/{consent.ConsentId} belongs to Patient/{other}; a consent cannot move to another patient");
            }
            Replace(_state.Consents.RemoveAll(c => c.ConsentId == consent.ConsentId).Add(consent));
            revisions.Observe(revision);
            return revision;
        }, () => _state);
    }

    async Task<long> IPatientConsentGrain.Withdraw(string consentId, string actor, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new EntitlementValidationException("reason is required to withdraw a consent");
        }
        return await Publisher.CommitAsync(async () =>
        {
            var revision = await StorageGuard.Run(() => store.WithdrawAsync(PatientId, consentId, actor, reason.Trim(), time.GetUtcNow()))
                ?? throw new EntitlementNotFoundException($"Patient/{PatientId} has no consent {consentId} on record");
            Replace(_state.Consents.RemoveAll(c => c.ConsentId == consentId));
            revisions.Observe(revision);
            return revision;
        }, () => _state);
    }

    Task<ConsentAnswer> IPatientConsentGrain.Decide(ConsentQuestion question) => Task.FromResult(_state.Decide(question, defaults.PolicyRule));

    Task<IReadOnlyList<string>> IPatientConsentGrain.ConsentIds() =>
        Task.FromResult<IReadOnlyList<string>>([.. _state.Consents.Select(c => c.ConsentId)]);

    /// <summary>The patient's consents as they now stand (committed): published when the change's commit ends.</summary>
    private void Replace(ImmutableList<CompiledConsent> consents) => _state = new PatientConsentState(PatientId, consents);

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
