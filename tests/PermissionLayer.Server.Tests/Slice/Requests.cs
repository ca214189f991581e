using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Tests.Slice;

/// <summary>Builders for the wire messages the tests send, so each test shows only what differs.</summary>
internal static class Requests
{
    public static CreateGrantRequest Grant(string principal, string target, string actions = "rs", string reason = "on the panel") =>
        new() { Grant = new Grant { Principal = principal, Target = target, Actions = actions, Reason = reason } };

    public static CheckRequest ReadPatient(string fhirUser, string patientId, string scope = "user/Patient.rs") => new()
    {
        Token = new TokenContext { ClientId = "test-app", FhirUser = fhirUser, Scope = scope },
        Interaction = Interaction.Read,
        ResourceType = "Patient",
        ResourceId = patientId,
    };
}
