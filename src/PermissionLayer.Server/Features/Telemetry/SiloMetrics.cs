using System.Diagnostics.Metrics;
using PermissionLayer.Grains.Consents;
using PermissionLayer.Grains.LocalState;

namespace PermissionLayer.Server.Features.Telemetry;

/// <summary>This silo's grains: activations by the kind of entity they hold, and the consent registry's lag.</summary>
public sealed class SiloMetrics
{
    /// <summary>The label value of the consent registry's shards, beside the entity kinds of <see cref="LocalActivations"/>.</summary>
    public const string ConsentRegistryKind = "consent-registry";

    public SiloMetrics(IMeterFactory meters, LocalActivations activations, ConsentRegistryProgress registry)
    {
        var meter = meters.Create(TelemetryNames.Source);
        meter.CreateObservableGauge(TelemetryNames.GrainActivations, () => Activations(activations, registry), "{activation}",
            "Grain activations on this silo, by the kind of entity they hold");
        meter.CreateObservableGauge(TelemetryNames.ConsentRegistryLag, () => Lag(registry), "{revision}",
            "Revisions between this silo's applied revision and its furthest-behind consent registry shard (caught up before every population search)");
    }

    private static IEnumerable<Measurement<int>> Activations(LocalActivations activations, ConsentRegistryProgress registry)
    {
        foreach (var (kind, count) in activations.CountByKind)
        {
            yield return new(count, new KeyValuePair<string, object?>(TelemetryNames.GrainKind, kind));
        }
        yield return new(registry.Shards, new KeyValuePair<string, object?>(TelemetryNames.GrainKind, ConsentRegistryKind));
    }

    private static IEnumerable<Measurement<long>> Lag(ConsentRegistryProgress registry)
    {
        if (registry.Lag is { } lag)
        {
            yield return new(lag);
        }
    }
}
