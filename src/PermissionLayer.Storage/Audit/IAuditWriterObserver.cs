namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Told of every batch a chain commits, so that the host can measure the audit writer (batch size and
/// commit latency) without the storage layer knowing about metrics. Called on the chain's own loop:
/// implementations must be cheap and must not throw.
/// </summary>
public interface IAuditWriterObserver
{
    /// <param name="rows">Rows in the committed COPY.</param>
    /// <param name="elapsed">From opening the connection to the commit's answer.</param>
    void Committed(int rows, TimeSpan elapsed);
}
