namespace PermissionLayer.DataGenerator.Loading;

/// <summary>One phase of a load: what went in, how many, how long.</summary>
public sealed record LoadPhase(string Name, string Path, long Items, long Calls, double Seconds)
{
    public double ItemsPerSecond => Seconds > 0 ? Items / Seconds : 0;
}
