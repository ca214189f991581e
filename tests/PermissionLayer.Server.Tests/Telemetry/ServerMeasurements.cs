using System.Diagnostics.Metrics;
using PermissionLayer.Server.Features.Telemetry;

namespace PermissionLayer.Server.Tests.Telemetry;

/// <summary>One measurement of the PermissionLayer meter: its instrument, value and labels.</summary>
public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string?> Labels);

/// <summary>
/// Every measurement of one server's PermissionLayer meter (the meters its own container created):
/// other servers in the test process have meters of the same name, which this leaves out.
/// </summary>
public sealed class ServerMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly LockedList<Measured> _measured = new();

    public ServerMeasurements(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TelemetryNames.Source && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    /// <summary>Everything measured so far, the observable gauges read now.</summary>
    public List<Measured> Read()
    {
        _listener.RecordObservableInstruments();
        return _measured.Snapshot();
    }

    /// <summary>How many measurements of <paramref name="instrument"/> carry every one of <paramref name="labels"/> (a counter's sum).</summary>
    public double Sum(string instrument, params (string Key, string Value)[] labels) =>
        Read().Where(m => m.Instrument == instrument && labels.All(l => m.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(m => m.Value);

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            labels[tag.Key] = tag.Value?.ToString();
        }
        _measured.Add(new Measured(instrument.Name, value, labels));
    }

    public void Dispose() => _listener.Dispose();
}
