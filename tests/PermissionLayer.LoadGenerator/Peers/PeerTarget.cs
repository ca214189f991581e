using PermissionLayer.Contracts.V1;
using PermissionLayer.LoadGenerator.Cerbos;

namespace PermissionLayer.LoadGenerator.Peers;

/// <summary>
/// One server a Check phase drives: ours (<see cref="Decisions"/>) or, with an address written
/// <c>cerbos+http://…</c>, a Cerbos PDP (<see cref="Cerbos"/>), asked the same cases.
/// </summary>
internal sealed record PeerTarget(
    string Label,
    IReadOnlyList<DecisionService.DecisionServiceClient> Decisions,
    IReadOnlyList<CerbosService.CerbosServiceClient>? Cerbos)
{
    public const string CerbosScheme = "cerbos+";
}
