namespace PermissionLayer.Server.Tests.Cluster;

/// <summary>
/// What the survivor's callers saw after its peer was killed: every call made (by when it started
/// after the kill and how it ended), and from that the window in which calls failed.
/// </summary>
internal sealed record FailoverWindow(IReadOnlyList<FailoverCall> Calls)
{
    public IEnumerable<FailoverCall> Failed => Calls.Where(c => c.Status is not null);

    /// <summary>From the kill to the start of the last call that failed: calls started later all succeeded.</summary>
    public TimeSpan Window => Failed.Select(c => c.StartedAfterKill).DefaultIfEmpty(TimeSpan.Zero).Max();

    public TimeSpan FirstFailure => Failed.Select(c => c.StartedAfterKill).DefaultIfEmpty(TimeSpan.Zero).Min();

    public override string ToString() =>
        $"window {Window.TotalSeconds:F1} s (first failure {FirstFailure.TotalSeconds:F1} s after the kill); {Calls.Count} calls, "
        + string.Join(", ", Calls.GroupBy(c => c.Status?.ToString() ?? "OK").OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
}

/// <param name="StartedAfterKill">When the call started, counted from the kill.</param>
/// <param name="Status">Null when the call answered (PERMIT, as it must), else its failure.</param>
internal sealed record FailoverCall(TimeSpan StartedAfterKill, Grpc.Core.StatusCode? Status);
