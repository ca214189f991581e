using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Tests.Slice;

/// <summary>Builders for the wire messages the tests send, so each test shows only what differs.</summary>
internal static class Requests
{
    public static CreateGrantRequest Grant(string principal, string target, string actions = "rs", string reason = "on the panel") =>
        new() { Grant = new Grant { Principal = principal, Target = target, Actions = actions, Reason = reason } };

    /// <summary>A client trusted for every patient, so that tests of the user term see only the user term deny.</summary>
    public const string TrustedClient = "trusted-app";

    public static CreateGrantRequest TrustClientForAllPatients(string clientId = TrustedClient) =>
        Grant($"Client/{clientId}", "*", "cruds", "trusted in-house app");

    public static CheckRequest ReadPatient(string fhirUser, string patientId, string scope = "user/Patient.rs", string clientId = TrustedClient) => new()
    {
        Token = new TokenContext { ClientId = clientId, FhirUser = fhirUser, Scope = scope },
        Interaction = Interaction.Read,
        ResourceType = "Patient",
        ResourceId = patientId,
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patientId } } },
    };
}
