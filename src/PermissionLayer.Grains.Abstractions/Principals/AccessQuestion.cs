using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>
/// "May this principal do <see cref="Actions"/> on these patients, for this resource
/// type and purpose, at this instant?" The instant is an input so that expiry is evaluated per
/// decision and tests can move the clock. <see cref="WithProfile"/> asks for the requester profile in the
/// same call (the principal is also the one the privacy terms ask about): one grain call fewer per decision.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccessQuestion(
    [property: Id(0)] IReadOnlyList<string> Patients,
    [property: Id(1)] DataActions Actions,
    [property: Id(2)] string? ResourceType,
    [property: Id(3)] string? Purpose,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] bool WithProfile = false);
