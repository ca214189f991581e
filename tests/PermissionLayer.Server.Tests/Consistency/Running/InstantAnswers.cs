using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>Everything the server answered at one instant: checks, streams per token, WhoCanSee per patient, and the re-asked sample.</summary>
internal sealed record InstantAnswers(
    DateTimeOffset At, IReadOnlyList<int> Tokens, IReadOnlyDictionary<ProbeKey, DecisionAnswer> Checks,
    IReadOnlyDictionary<int, StreamAnswer> Streams, IReadOnlyDictionary<string, IReadOnlyList<AccessPath>> Access,
    IReadOnlyList<(ProbeKey Key, DecisionAnswer Single)> Singles);
