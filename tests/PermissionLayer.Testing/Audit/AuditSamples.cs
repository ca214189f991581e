using PermissionLayer.Core.Audit;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using PermissionLayer.Grains.Decisions;

namespace PermissionLayer.Testing.Audit;

/// <summary>Decisions and audit rows as the audit writer sees them, for its tests and benchmarks.</summary>
public static class AuditSamples
{
    /// <summary>A practitioner's read of a patient's Observation, permitted by every term with the explanations a real permit carries.</summary>
    public static readonly DecisionRequest PermitRequest = new()
    {
        Token = new TokenContext
        {
            ClientId = "ehr-viewer",
            FhirUser = "Practitioner/dr-okafor",
            Scope = "openid fhirUser user/Observation.rs user/Patient.rs",
            PurposeOfUse = "TREAT",
            UserAffiliations = ["Organization/st-mary-cardiology", "Group/on-call"],
            Jti = "4f1c2d9e-7a3b-4c55-9e0f-1b2c3d4e5f60",
        },
        Interaction = Interaction.Read,
        ResourceType = "Observation",
        ResourceId = "obs-20261126-0042",
        Stored = new ResourceFacts { Complete = true, Patients = ["pat-100234"] },
    };

    public static readonly IReadOnlyList<DecisionReason> PermitReasons =
    [
        DecisionReason.Permit(DecisionTerm.Scope, "scope.granted",
            "the token's scope user/Observation.rs grants read on Observation for any patient the user may see", "user/Observation.rs"),
        DecisionReason.Permit(DecisionTerm.Client, "client.ceiling",
            "client ehr-viewer is registered for user/*.rs; the token's scopes stay within that ceiling", "client:ehr-viewer"),
        DecisionReason.Permit(DecisionTerm.User, "user.grant",
            "Practitioner/dr-okafor may read Patient/pat-100234: member of CareTeam/cardiology-ward-3 (grant 7f3e0c1a, since 2026-01-04) → patient's care team", "grant:7f3e0c1a"),
        DecisionReason.Permit(DecisionTerm.Consent, "consent.permit",
            "Consent/pat-100234-treatment permits TREAT by Organization/st-mary-cardiology for the patient's 'clinical' data (provision 2 of 3)", "Consent/pat-100234-treatment"),
        DecisionReason.Permit(DecisionTerm.Labels, "labels.none-restricted",
            "the Observation carries no confidentiality or sensitivity label the user's clearance \"N\" excludes"),
    ];

    public static readonly DecisionOutcome PermitOutcome = new(Decision.Of(PermitReasons), Revision: 48213);

    /// <summary>Rows that stress the canonical encoding: nulls, empty strings, non-ASCII, many patients.</summary>
    public static IEnumerable<AuditedDecision> Rows()
    {
        var plain = new AuditedDecision
        {
            DecisionId = Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
            DecidedAt = new DateTimeOffset(2026, 11, 26, 9, 30, 15, TimeSpan.Zero).AddTicks(1234560),
            Caller = "key:fhir-gateway/3",
            ClientId = "ehr-viewer",
            FhirUser = "Practitioner/dr-okafor",
            UserOrganization = "Organization/st-mary-cardiology",
            Patients = ["pat-100234"],
            Interaction = "read",
            ResourceType = "Observation",
            ResourceId = "obs-20261126-0042",
            PurposeOfUse = "TREAT",
            Jti = "4f1c2d9e",
            Outcome = "permit",
            ReasonsJson = ReferenceReasonsJson.Of(PermitReasons),
            Consents = ["Consent/pat-100234-treatment"],
            Revision = 48213,
            LatencyMicroseconds = 312,
        };
        yield return plain;
        yield return plain with
        {
            FhirUser = null,
            UserOrganization = null,
            Patients = [],
            ResourceId = null,
            PurposeOfUse = null,
            Jti = null,
            Outcome = "deny",
            DecidingTerm = "scope",
            ReasonsJson = "[]",
            Consents = [],
            Revision = 0,
            LatencyMicroseconds = 0,
        };
        yield return plain with
        {
            Caller = "",
            ClientId = "",
            FhirUser = "",
            UserOrganization = "",
            Patients = ["", ""],
            ResourceId = "",
            PurposeOfUse = "",
            BreakGlass = true,
            BreakGlassReason = "",
            Jti = "",
            DecidingTerm = "",
            ReasonsJson = "",
            Consents = [""],
        };
        yield return plain with
        {
            FhirUser = "Practitioner/Müller-Šťastný",
            Patients = ["pat-ñandú", "患者-42", "🩺"],
            BreakGlass = true,
            BreakGlassReason = "Notfall: bewusstlos → sofort",
            Jti = "lone-\uD800-surrogate", // encoded as U+FFFD
            ReasonsJson = "[\"Zugriff → erlaubt, 'ok'\"]",
            Revision = long.MaxValue,
            LatencyMicroseconds = -1,
            DecidedAt = DateTimeOffset.UnixEpoch.AddTicks(-10),
        };
        yield return plain with
        {
            Patients = [.. Enumerable.Range(0, 5000).Select(i => $"pat-{i:D6}")],
            Consents = [.. Enumerable.Range(0, 300).Select(i => $"Consent/c-{i}")],
        };
    }
}
