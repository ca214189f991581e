namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by its seed on every runtime (System.Random's
/// seeded sequence is an implementation detail). Each entity gets its own stream
/// (<see cref="For"/>), so a panel's patients do not depend on how many draws came before it.
/// </summary>
public sealed class SeededRandom(ulong state)
{
    private ulong _state = state;

    /// <summary>A stream for one entity: the data set's seed, what it is for, and the entity's index.</summary>
    public static SeededRandom For(ulong seed, string purpose, long index)
    {
        var h = 14695981039346656037UL; // FNV-1a over the purpose, mixed with seed and index
        foreach (var c in purpose)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return new SeededRandom(Mix(seed ^ Mix(h ^ Mix((ulong)index))));
    }

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform in [0, bound).</summary>
    public int Next(int bound) => bound <= 1 ? 0 : (int)(NextUInt64() % (ulong)bound);

    public long NextLong(long bound) => bound <= 1 ? 0 : (long)(NextUInt64() % (ulong)bound);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
