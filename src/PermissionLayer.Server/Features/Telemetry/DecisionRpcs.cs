namespace PermissionLayer.Server.Features.Telemetry;

/// <summary>The values of the <see cref="TelemetryNames.Rpc"/> label: the RPCs that make decisions.</summary>
public static class DecisionRpcs
{
    public const string Check = "Check";
    public const string CheckBatch = "CheckBatch";
    public const string StreamAccessiblePatients = "StreamAccessiblePatients";
}
