using Grpc.Core;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Fhir.Consents;
using PermissionLayer.Fhir.Imports;
using PermissionLayer.Grains.Abstractions.Consents;

namespace PermissionLayer.Server.Features.Admin;

/// <summary>Consents: FHIR Consent JSON in, through the patient's consent grain.</summary>
public sealed partial class AdminGrpcService
{
    public override async Task<PutConsentResponse> PutConsent(PutConsentRequest request, ServerCallContext context)
    {
        RequireId(request.ConsentId, "consent_id");
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw new RequestValidationException("reason", "is required to change a consent");
        }
        // Compiled here first, so a bad consent is rejected by element before any grain is involved,
        // and so we know whose grain owns it; the grain compiles it again from what it stores.
        CompiledConsent consent;
        try
        {
            consent = ConsentCompiler.Compile(request.ConsentJson);
        }
        catch (FhirImportException e)
        {
            throw new RequestValidationException("consent_json", e.Message);
        }
        if (consent.ConsentId != request.ConsentId)
        {
            throw new RequestValidationException("consent_id", $"'{request.ConsentId}' differs from the resource's Consent.id '{consent.ConsentId}'");
        }
        var revision = await grains.GetGrain<IPatientConsentGrain>(consent.PatientId)
            .Put(new ConsentSubmission(consent.ConsentId, request.ConsentJson, Actor(context), request.Reason));
        return new PutConsentResponse { Revision = revision, PatientId = consent.PatientId };
    }

    public override async Task<WithdrawConsentResponse> WithdrawConsent(WithdrawConsentRequest request, ServerCallContext context)
    {
        RequireId(request.ConsentId, "consent_id");
        RequireId(request.PatientId, "patient_id");
        var revision = await grains.GetGrain<IPatientConsentGrain>(request.PatientId).Withdraw(request.ConsentId, Actor(context), request.Reason);
        return new WithdrawConsentResponse { Revision = revision };
    }
}
