using PermissionLayer.Server.Hosting;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The audit log: its database, the writer and its chains, the recorders and the maintenance.</summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services, PermissionLayerOptions options)
    {
        services.AddSingleton(_ => new AuditDatabase(options.Storage.ConnectionString));
        services.AddSingleton<AuditPartitions>();
        services.AddSingleton<AuditQuarantine>();
        var spill = new AuditSpillFile(Path.Combine(AppContext.BaseDirectory, options.Audit.SpillPath));
        // Read at every start whatever the mode (a node killed in queued mode may come back durable);
        // appended to only in queued mode.
        var writeAhead = new AuditWriteAhead(spill.Path + ".wal", enabled: options.Audit.ModeValue == AuditMode.Queued && options.Audit.WriteAhead);
        services.AddSingleton(s => new AuditLogWriter(
            s.GetRequiredService<AuditDatabase>(), s.GetRequiredService<AuditPartitions>(), spill, s.GetRequiredService<AuditQuarantine>(),
            s.GetRequiredService<ILogger<AuditLogWriter>>(),
            options.Audit.QueueCapacity, options.Audit.MaxBatchSize, options.Audit.Writers, writeAhead,
            s.GetRequiredService<Telemetry.AuditCommitMetrics>()));
        services.AddSingleton<DecisionAuditRecorder>();
        services.AddSingleton<AdminChangeLog>();
        services.AddSingleton<DecisionLog>();
        services.AddSingleton<ChainVerifier>();
        services.AddSingleton<BreakGlassReviews>();
        services.AddSingleton<AuditRetention>();
        services.AddHostedService<AuditLogService>();
        services.AddHostedService<AuditMaintenance>();
        return services;
    }
}
