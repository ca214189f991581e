using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Fhir.Audit;

/// <summary>
/// A recorded decision as a FHIR R4 AuditEvent in the IHE BALP authorization-decision shape
/// (AuthZconsent): a DICOM "Security Alert" with the BALP AuthZ subtype; agents for the client app,
/// the user, the user's organization and this service as the authorizer; entities for the patients,
/// the consents consulted and the token (by its jti); outcome success for a permit and failure with
/// the reason for a deny.
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
    public const string BalpEntityType = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
    /// <summary>How the service names itself as the authorizer and the observer.</summary>
    public const string ServiceDevice = "Device/permissionlayer";

    private static readonly FhirJsonSerializer Serializer = new();

    public static AuditEvent ToAuditEvent(AuditedDecision d)
    {
        var permit = d.Outcome == "permit";
        var auditEvent = new AuditEvent
        {
            Id = d.DecisionId.ToString(),
            Meta = new Meta { Profile = [BalpProfile] },
            Type = new Coding(Dicom, "110113", "Security Alert"),
            Subtype = [new Coding(BalpAuthZSubtype, "AuthZ-Consent", "Authorization Decision using Roles and Consent")],
            Action = AuditEvent.AuditEventAction.E,
            Recorded = d.DecidedAt,
            Outcome = permit ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4,
            OutcomeDesc = permit ? "permit" : $"deny ({d.DecidingTerm}): {DenyMessage(d)}",
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference(ServiceDevice), Site = "PermissionLayer" },
        };
        if (d.PurposeOfUse is { Length: > 0 } purpose)
        {
            auditEvent.PurposeOfEvent.Add(new CodeableConcept(ActReason, purpose));
        }
        auditEvent.Agent.Add(Agent(new Coding(Dicom, "110150", "Application"), new ResourceReference { Identifier = new Identifier("urn:ietf:params:oauth:client-id", d.ClientId), Display = d.ClientId }, requestor: d.FhirUser is null));
        if (d.FhirUser is { } user)
        {
            auditEvent.Agent.Add(Agent(new Coding(SecurityRoleType, "humanuser", "human user"), new ResourceReference(user), requestor: true));
        }
        if (d.UserOrganization is { } organization)
        {
            auditEvent.Agent.Add(Agent(new Coding(ParticipationType, "IRCP", "information recipient"), new ResourceReference(organization), requestor: false));
        }
        var authorizer = Agent(new Coding(SecurityRoleType, "authserver", "authorization server"), new ResourceReference(ServiceDevice), requestor: false);
        authorizer.Policy = [$"urn:uuid:{d.DecisionId}"];
        auditEvent.Agent.Add(authorizer);
        foreach (var patient in d.Patients)
        {
            auditEvent.Entity.Add(Entity(new ResourceReference($"Patient/{patient}"), new Coding(EntityType, "1", "Person"), new Coding(ObjectRole, "1", "Patient")));
        }
        foreach (var consent in d.Consents)
        {
            auditEvent.Entity.Add(Entity(new ResourceReference(consent), new Coding(EntityType, "2", "System Object"), new Coding(ObjectRole, "4", "Domain Resource")));
        }
        if (d.Jti is { } jti)
        {
            var token = Entity(new ResourceReference { Identifier = new Identifier("urn:ietf:params:oauth:jti", jti) },
                new Coding(BalpEntityType, "OAuthToken", "OAuth Token"), null);
            auditEvent.Entity.Add(token);
        }
        if (d.BreakGlass)
        {
            auditEvent.Entity.Add(Entity(null, new Coding(EntityType, "4", "Other"), null, $"break-the-glass: {d.BreakGlassReason}"));
        }
        return auditEvent;
    }

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
