using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Fhir.Audit;

/// <summary>
/// A recorded decision as a FHIR R4 AuditEvent in the IHE BALP authorization-decision shape
/// (AuthZconsent): a DICOM "Security Alert" with the BALP AuthZ subtype; agents for the client app,
/// the user, the user's organization and this service as the authorizer; entities for the patients,
/// the consents consulted and the token (by its jti); outcome success for a permit and failure with
/// the reason for a deny. Codes and slices follow the profile's FSH source, IHE/ITI.BasicAudit
/// input/fsh/AuthZ.fsh (profile IHE.BasicAudit.AuthZconsent, CodeSystem AuthZsubType) and
/// input/fsh/SAMLaccessToken.fsh (CodeSystem UserAgentTypes); the IG canonical is
/// https://profiles.ihe.net/ITI/BALP.
/// </summary>
public static class AuditEventMapping
{
    public const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    public const string BalpAuthZSubtype = "https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType";
    public const string BalpProfile = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.AuthZconsent";
    public const string SecurityRoleType = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string EntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public const string ObjectRole = "http://terminology.hl7.org/CodeSystem/object-role";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    /// <summary>BALP CodeSystem UserAgentTypes: entity[token].type = #UserOauthAgent (AuthZ.fsh).</summary>
    public const string BalpUserAgentTypes = "https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes";
    /// <summary>AuthZ.fsh: entity[consent].type = http://hl7.org/fhir/resource-types#Consent.</summary>
    public const string ResourceTypes = "http://hl7.org/fhir/resource-types";
    /// <summary>AuthZ.fsh: agent[userorg].type = v3-RoleClass#PROV.</summary>
    public const string RoleClass = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
    /// <summary>AuthZ.fsh: the jti "SHALL be prefixed with urn:ietf:params:oauth:jti:" (RFC 3553).</summary>
    public const string JtiPrefix = "urn:ietf:params:oauth:jti:";
    /// <summary>How the service names itself as the authorizer and the observer.</summary>
    public const string ServiceDevice = "Device/permissionlayer";

    private static readonly FhirJsonSerializer Serializer = new();

    public static AuditEvent ToAuditEvent(AuditedDecision d)
    {
        var permit = d.Outcome == "permit";
        var auditEvent = new AuditEvent
        {
            Id = d.DecisionId.ToString(),
            // AuthZ.fsh: type = DCM#110113; subtype from AuthZsubTypeVS: AuthZ-Consent when consent
            // was part of the decision, AuthZ-Role when only roles/grants were.
            Type = new Coding(Dicom, "110113", "Security Alert"),
            Subtype = [d.Consents.Count > 0
                ? new Coding(BalpAuthZSubtype, "AuthZ-Consent", "Authorization Decision using Roles and Consent")
                : new Coding(BalpAuthZSubtype, "AuthZ-Role", "Authorization Decision using only Roles")],
            Action = AuditEvent.AuditEventAction.E,
            Recorded = d.DecidedAt,
            Outcome = permit ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4,
            OutcomeDesc = permit ? "permit" : $"deny ({d.DecidingTerm}): {DenyMessage(d)}",
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference(ServiceDevice), Site = "PermissionLayer" },
        };
        if (ConformsToAuthZconsent(d))
        {
            auditEvent.Meta = new Meta { Profile = [BalpProfile] };
        }
        if (d.PurposeOfUse is { Length: > 0 } purpose)
        {
            auditEvent.PurposeOfEvent.Add(new CodeableConcept(ActReason, purpose));
        }
        auditEvent.Agent.Add(Agent(new Coding(Dicom, "110150", "Application"), new ResourceReference { Identifier = new Identifier("urn:ietf:params:oauth:client-id", d.ClientId), Display = d.ClientId }, requestor: d.FhirUser is null));
        if (d.FhirUser is { } user)
        {
            // AuthZ.fsh: agent[user].type = v3-ParticipationType#IRCP, requestor = true.
            auditEvent.Agent.Add(Agent(new Coding(ParticipationType, "IRCP", "information recipient"), new ResourceReference(user), requestor: true));
        }
        if (d.UserOrganization is { } organization)
        {
            // AuthZ.fsh: agent[userorg].type = v3-RoleClass#PROV, requestor = false.
            auditEvent.Agent.Add(Agent(new Coding(RoleClass, "PROV", "healthcare provider"), new ResourceReference(organization), requestor: false));
        }
        // AuthZ.fsh: agent[authorizer].type = extra-security-role-type#authserver; its policy is 0..0.
        auditEvent.Agent.Add(Agent(new Coding(SecurityRoleType, "authserver", "authorization server"), new ResourceReference(ServiceDevice), requestor: false));
        foreach (var patient in d.Patients)
        {
            auditEvent.Entity.Add(Entity(new ResourceReference($"Patient/{patient}"), new Coding(EntityType, "1", "Person"), new Coding(ObjectRole, "1", "Patient")));
        }
        foreach (var consent in d.Consents)
        {
            auditEvent.Entity.Add(Entity(new ResourceReference(consent), new Coding(ResourceTypes, "Consent", "Consent"), null));
        }
        if (d.Jti is { } jti)
        {
            var token = Entity(new ResourceReference { Identifier = new Identifier { Value = JtiPrefix + jti } },
                new Coding(BalpUserAgentTypes, "UserOauthAgent", "User OAuth Agent participant"), null);
            auditEvent.Entity.Add(token);
        }
        if (d.BreakGlass)
        {
            auditEvent.Entity.Add(Entity(null, new Coding(EntityType, "4", "Other"), null, $"break-the-glass: {d.BreakGlassReason}"));
        }
        return auditEvent;
    }

    /// <summary>
    /// Whether the event fits the profile's cardinalities (AuthZ.fsh): agents user and userorg 1..1,
    /// entity slicing closed with patient 1..1 and consent 1..*. Other decisions (no consent, several
    /// or no patients, a system token, a break-the-glass note) keep the same codes but do not claim it.
    /// </summary>
    private static bool ConformsToAuthZconsent(AuditedDecision d) =>
        d.FhirUser is not null && d.UserOrganization is not null && d.Patients.Count == 1 && d.Consents.Count > 0 && !d.BreakGlass;

    /// <summary>One line of NDJSON.</summary>
    public static string ToJsonLine(AuditedDecision d) => Serializer.SerializeToString(ToAuditEvent(d));

    private static string DenyMessage(AuditedDecision d)
    {
        using var reasons = System.Text.Json.JsonDocument.Parse(d.ReasonsJson);
        var deny = reasons.RootElement.EnumerateArray().FirstOrDefault(r => r.GetProperty("outcome").GetString() == "deny");
        return deny.ValueKind == System.Text.Json.JsonValueKind.Object ? deny.GetProperty("message").GetString() ?? "" : "no term permitted";
    }

    private static AuditEvent.AgentComponent Agent(Coding type, ResourceReference who, bool requestor) => new()
    {
        Type = new CodeableConcept { Coding = [type] },
        Who = who,
        Requestor = requestor,
    };

    private static AuditEvent.EntityComponent Entity(ResourceReference? what, Coding type, Coding? role, string? description = null) => new()
    {
        What = what,
        Type = type,
        Role = role,
        Description = description,
    };
}
