using Grpc.Core;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Tests.Review;

/// <summary>What every adversarial-review test asks of the real server: fail closed, and say what came back.</summary>
internal static class ReviewChecks
{
    /// <summary>Fail closed: a DENY, or INVALID_ARGUMENT for a malformed request; never a PERMIT.</summary>
    public static async Task AssertNotPermittedAsync(DecisionService.DecisionServiceClient decisions, CheckRequest request)
    {
        CheckResponse response;
        try
        {
            response = await decisions.CheckAsync(request);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            return;
        }
        Assert.True(response.Outcome == Outcome.Deny, Describe(response));
    }

    /// <summary>The outcome, its reasons and its obligation, for a failure message.</summary>
    public static string Describe(CheckResponse response) =>
        $"{response.Outcome}: {string.Join("; ", response.Reasons.Select(r => $"{r.Term}/{r.Code}: {r.Message}"))}" +
        (response.Obligation is { } o
            ? $" — obligation types=[{string.Join(",", o.ResourceTypes)}] restrict={o.RestrictTypes} branches=[{string.Join(",", o.AnyOf.Select(b => b.ResourceType))}]" +
              $" patients=[{string.Join(",", o.Patients.PatientIds)}] all={o.Patients.AllPatients} excluded=[{string.Join(",", o.Patients.ExcludedPatientIds)}] excluded_labels={o.ExcludedSecurityLabels.Count}"
            : " — no obligation");

    /// <summary>A patient-privacy Consent of <paramref name="patient"/> with its policy rule (OPTIN/OPTOUT) and nested provisions.</summary>
    public static PutConsentRequest Consent(string id, string patient, string policy, string? provision)
    {
        var nested = provision is null ? "" : $$""","provision":{"provision":[{{provision}}]}""";
        var json = $$$"""
            {"resourceType":"Consent","id":"{{{id}}}","status":"active",
             "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
             "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
             "patient":{"reference":"Patient/{{{patient}}}"},
             "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"{{{policy}}}"}]}{{{nested}}}}
            """;
        return new PutConsentRequest { ConsentId = id, ConsentJson = json, Reason = "signed" };
    }
}
