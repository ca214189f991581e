// FHIR SDK elements are all nullable; a null where the profile needs a value fails the test anyway.
#nullable disable warnings
using Hl7.Fhir.Model;
using PermissionLayer.Core.Audit;
using PermissionLayer.Fhir.Audit;

namespace PermissionLayer.Fhir.Tests.Audit;

/// <summary>
/// The AuditEvent export against the BALP AuthZconsent profile's codes, as its FSH source states
/// them (IHE/ITI.BasicAudit input/fsh/AuthZ.fsh; UserAgentTypes in SAMLaccessToken.fsh).
/// </summary>
public sealed class BalpAuthZconsentTests
{
    private static readonly AuditedDecision ConsentPermit = new()
    {
        DecisionId = Guid.Parse("0192a5c4-0000-7000-8000-000000000001"),
        DecidedAt = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero),
        Caller = "key:pep/1",
        ClientId = "ward-app",
        FhirUser = "Practitioner/dr-alice",
        UserOrganization = "Organization/f001",
        Patients = ["p-anna"],
        Interaction = "read",
        ResourceType = "Observation",
        PurposeOfUse = "TREAT",
        Jti = "abc-123",
        Outcome = "permit",
        ReasonsJson = "[]",
        Consents = ["Consent/notorg"],
    };

    [Fact]
    public void A_consent_based_decision_has_the_profiles_type_subtype_agents_and_entities()
    {
        var e = AuditEventMapping.ToAuditEvent(ConsentPermit);

        Assert.Equal("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.AuthZconsent", Assert.Single(e.Meta.Profile));
        Assert.Equal(("http://dicom.nema.org/resources/ontology/DCM", "110113"), (e.Type.System, e.Type.Code));
        var subtype = Assert.Single(e.Subtype);
        Assert.Equal(("https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType", "AuthZ-Consent"), (subtype.System, subtype.Code));
        Assert.Equal(AuditEvent.AuditEventAction.E, e.Action);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, e.Outcome);

        var agents = e.Agent.Select(a => (a.Type.Coding.Single().System, a.Type.Coding.Single().Code, a.Requestor)).ToList();
        Assert.Equal(
        [
            ("http://dicom.nema.org/resources/ontology/DCM", "110150", false),                   // client
            ("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", true),         // user
            ("http://terminology.hl7.org/CodeSystem/v3-RoleClass", "PROV", false),                // userorg
            ("http://terminology.hl7.org/CodeSystem/extra-security-role-type", "authserver", false), // authorizer
        ], agents);
        Assert.Empty(e.Agent[3].Policy); // agent[authorizer].policy 0..0

        var patient = e.Entity.Single(x => x.Type.Code == "1");
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/audit-entity-type", "http://terminology.hl7.org/CodeSystem/object-role", "1"),
            (patient.Type.System, patient.Role.System, patient.Role.Code));
        Assert.Equal("Patient/p-anna", patient.What.Reference);
        var consent = e.Entity.Single(x => x.Type.Code == "Consent");
        Assert.Equal("http://hl7.org/fhir/resource-types", consent.Type.System);
        Assert.Equal("Consent/notorg", consent.What.Reference);
        var token = e.Entity.Single(x => x.Type.Code == "UserOauthAgent");
        Assert.Equal("https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes", token.Type.System);
        Assert.Equal("urn:ietf:params:oauth:jti:abc-123", token.What.Identifier.Value);
        Assert.Equal(3, e.Entity.Count); // the entity slicing is closed: patient, consent, token
    }

    [Fact]
    public void A_decision_without_consent_is_AuthZ_Role_and_does_not_claim_the_consent_profile()
    {
        var e = AuditEventMapping.ToAuditEvent(ConsentPermit with { Consents = [], Outcome = "deny", DecidingTerm = "user", ReasonsJson = """[{"term":"user","outcome":"deny","code":"user.no-grant","message":"no grant","source":null}]""" });

        Assert.Equal("AuthZ-Role", Assert.Single(e.Subtype).Code);
        Assert.True(e.Meta?.Profile is null || !e.Meta.Profile.Any());
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, e.Outcome);
        Assert.Equal("deny (user): no grant", e.OutcomeDesc);
    }
}
