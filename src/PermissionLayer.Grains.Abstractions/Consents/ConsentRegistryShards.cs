namespace PermissionLayer.Grains.Abstractions.Consents;

/// <summary>How the consent registry is split (see <see cref="IConsentRegistryGrain"/>).</summary>
public static class ConsentRegistryShards
{
    /// <summary>Enough for both cores of a small node and for a cluster's silos to share the load.</summary>
    public const int Count = 16;

    public static string Key(int shard) => $"{shard}/{Count}";

    /// <summary>Reads a shard's key; false for anything but "shard/count" with 0 ≤ shard &lt; count.</summary>
    public static bool TryParseKey(string key, out int shard, out int count)
    {
        shard = count = 0;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && int.TryParse(key.AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shard)
            && int.TryParse(key.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
            && count > 0 && shard < count;
    }
}
