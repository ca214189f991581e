namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>
/// The answer: permitted only when every patient is reached by some effective grant. Each entry says
/// which grant reached the patient, or that none did, in words for the decision's reasons.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccessAnswer(
    [property: Id(0)] bool Permitted,
    [property: Id(1)] IReadOnlyList<PatientAccess> Patients,
    [property: Id(2)] long Revision,
    [property: Id(3)] RequesterProfile? Profile = null);
