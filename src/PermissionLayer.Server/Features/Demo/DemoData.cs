using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Server.Features.Demo;

/// <summary>
/// The demo set, drawn from the real use cases: Dr Alice's patient panel (an offline practitioner app
/// syncing with user/ scopes).
/// </summary>
internal static class DemoData
{
    private const string Seeder = "demo-seed";

    public static readonly IReadOnlyList<(string Principal, GrantDraft Draft)> Grants =
    [
        ("Practitioner/dr-alice", Panel("Patient/p-anna")),
        ("Practitioner/dr-alice", Panel("Patient/p-ben")),
        ("Practitioner/dr-alice", Panel("Patient/p-carl")),
    ];

    private static GrantDraft Panel(string patient) =>
        new(patient, "cruds", [], [], null, null, "demo: on Dr Alice's panel", Seeder);
}
