using System.Collections.Immutable;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Fhir.Imports;
using PermissionLayer.Grains.Abstractions.Consents;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Storage.Consents;

namespace PermissionLayer.Grains.Consents;

/// <inheritdoc cref="IPatientConsentGrain"/>
public sealed class PatientConsentGrain(ConsentStore store, TimeProvider time, RevisionClock revisions, ConsentDefaults defaults)
    : Grain, IPatientConsentGrain
{
    private ImmutableList<CompiledConsent> _consents = [];

    private string PatientId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    Task IPatientConsentGrain.Reload() => this.ReloadOrDeactivateAsync(() => LoadAsync(CancellationToken.None));

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await StorageGuard.Run(() => store.LoadForPatientAsync(PatientId, cancellationToken));
        // A stored consent that no longer compiles fails the activation, and with it every decision for
        // this patient: failing closed beats applying the patient's other consents without it.
        _consents = [.. stored.Select(s => ConsentCompiler.Compile(s.RawJson))];
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
        var (revision, other) = await StorageGuard.Run(() => store.PutAsync(
            PatientId, consent.ConsentId, consent.Status, submission.Json, submission.Actor, submission.Reason.Trim(), time.GetUtcNow()));
        if (other is not null)
        {
            throw new EntitlementValidationException($"Consent/{consent.ConsentId} belongs to Patient/{other}; a consent cannot move to another patient");
        }
        _consents = _consents.RemoveAll(c => c.ConsentId == consent.ConsentId).Add(consent);
        revisions.Observe(revision);
        return revision;
    }

    async Task<long> IPatientConsentGrain.Withdraw(string consentId, string actor, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new EntitlementValidationException("reason is required to withdraw a consent");
        }
        var revision = await StorageGuard.Run(() => store.WithdrawAsync(PatientId, consentId, actor, reason.Trim(), time.GetUtcNow()))
            ?? throw new EntitlementNotFoundException($"Patient/{PatientId} has no consent {consentId} on record");
        _consents = _consents.RemoveAll(c => c.ConsentId == consentId);
        revisions.Observe(revision);
        return revision;
    }

    Task<ConsentAnswer> IPatientConsentGrain.Decide(ConsentQuestion question)
    {
        var request = question.ToRequest();
        var verdict = ConsentEvaluator.Evaluate(PatientId, _consents, request, defaults.PolicyRule);
        return Task.FromResult(new ConsentAnswer(
            verdict.Permitted, verdict.Reason.Code, verdict.Reason.Message, verdict.Reason.Source, verdict.ExcludedLabels));
    }

    Task<IReadOnlyList<string>> IPatientConsentGrain.ConsentIds() =>
        Task.FromResult<IReadOnlyList<string>>([.. _consents.Select(c => c.ConsentId)]);

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
