using PermissionLayer.Grains.Abstractions.Principals;

namespace PermissionLayer.Server.Features.Demo;

/// <summary>
/// The demo set, drawn from the real use cases: Dr Alice's patient panel (an offline practitioner app,
/// <c>demo-app</c>, trusted for every patient) and a client app registered for one patient group only
/// (<c>g9245-app</c>, bounded to Group/g9245, whose members are p-anna and p-dora).
/// </summary>
internal static class DemoData
{
    private const string Seeder = "demo-seed";

    public static readonly IReadOnlyList<(string Principal, GrantDraft Draft)> Grants =
    [
        ("Practitioner/dr-alice", Panel("Patient/p-anna")),
        ("Practitioner/dr-alice", Panel("Patient/p-ben")),
        ("Practitioner/dr-alice", Panel("Patient/p-carl")),
        ("Client/demo-app", new GrantDraft("*", "cruds", [], [], null, null, "demo: in-house app for all patients", Seeder)),
        ("Client/g9245-app", new GrantDraft("Group/g9245", "rs", [], [], null, null, "demo: registered for Group/g9245 only", Seeder)),
    ];

    public const string GroupId = "g9245";

    public static readonly IReadOnlyList<string> GroupMembers = ["p-anna", "p-dora"];

    private static GrantDraft Panel(string patient) =>
        new(patient, "cruds", [], [], null, null, "demo: on Dr Alice's panel", Seeder);
}
