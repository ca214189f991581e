namespace PermissionLayer.Storage.Audit;

/// <summary>
/// PostgreSQL refused this record on its own, so it was kept in <c>audit.quarantine</c> instead of
/// the chain. A caller waiting for its commit fails closed (UNAVAILABLE, like any audit failure):
/// its decision was not recorded where the audit API reads.
/// </summary>
public sealed class AuditRecordQuarantinedException(Exception refusal) : Exception("the audit record was refused by PostgreSQL and quarantined", refusal);
