namespace PermissionLayer.LoadGenerator;

/// <summary>What one timed run of one method measured.</summary>
internal sealed record LatencySample(string Method, long Calls, long Errors, TimeSpan Elapsed, double[] SortedMicroseconds)
{
    public double Throughput => Calls / Elapsed.TotalSeconds;

    public double Percentile(double p) =>
        SortedMicroseconds.Length == 0 ? double.NaN : SortedMicroseconds[Math.Min(SortedMicroseconds.Length - 1, (int)(p * SortedMicroseconds.Length))];

    public override string ToString() =>
        $"{Method,-6} {Throughput,10:F0} calls/s  p50 {Percentile(0.50) / 1000,7:F2} ms  p99 {Percentile(0.99) / 1000,7:F2} ms  p99.9 {Percentile(0.999) / 1000,7:F2} ms  errors {Errors}";
}
