using System.Collections.Concurrent;

namespace PermissionLayer.Grains;

/// <summary>
/// Grain references for the decision path (the evaluator and the principal grains), made once per key and reused. Orleans resolves a grain
/// interface's type by reflection on every <c>GetGrain</c> (about 8 % of a Check's CPU in a profile); a
/// reference is immutable and says nothing about where the grain lives, so reusing one changes only
/// that cost. Bounded: past <see cref="Capacity"/> keys the cache starts over (references are cheap to
/// make again).
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    public const int Capacity = 200_000;

    private readonly ConcurrentDictionary<(Type Interface, string Key), IAddressable> _references = new();

    /// <summary>For the rare calls not worth caching (integer keys, admin paths).</summary>
    public IGrainFactory Factory => grains;

    public T Get<T>(string key) where T : IGrainWithStringKey
    {
        if (_references.TryGetValue((typeof(T), key), out var cached))
        {
            return (T)cached;
        }
        if (_references.Count >= Capacity)
        {
            _references.Clear();
        }
        var reference = grains.GetGrain<T>(key);
        _references.TryAdd((typeof(T), key), reference);
        return reference;
    }
}
