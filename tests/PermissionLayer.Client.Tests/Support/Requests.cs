using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Client.Tests.Support;

/// <summary>Builders for the wire messages, so each test shows only what differs.</summary>
internal static class Requests
{
    public static CreateGrantRequest Grant(string principal, string target, string actions = "rs", string reason = "client tests") =>
        new() { Grant = new Grant { Principal = principal, Target = target, Actions = actions, Reason = reason } };

    /// <summary>Registers a client for every patient, so the user term alone decides.</summary>
    public static CreateGrantRequest TrustClient(string clientId) => Grant($"Client/{clientId}", "*", "cruds", "trusted test app");

    public static CheckRequest ReadPatient(string clientId, string fhirUser, string patientId) => new()
    {
        Token = new TokenContext { ClientId = clientId, FhirUser = fhirUser, Scope = "user/Patient.rs" },
        Interaction = Interaction.Read,
        ResourceType = "Patient",
        ResourceId = patientId,
        Stored = new ResourceState { Facts = new ResourceFacts { Complete = true, Patients = { patientId } } },
    };
}
