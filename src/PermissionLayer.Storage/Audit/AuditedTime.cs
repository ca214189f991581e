using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

internal static class AuditedTime
{
    public static DateTimeOffset Now() => AuditedDecision.ToStoredPrecision(DateTimeOffset.UtcNow);
}
