namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// <c>Count</c> distinct positions out of <c>Population</c> without a set in memory: position t is
/// (Start + t × Stride) mod Population with Stride coprime to Population, so the walk never repeats
/// before it has visited every position. A 50,000-patient panel costs three numbers.
/// </summary>
public readonly record struct DistinctSample(long Population, long Start, long Stride, int Count)
{
    public static DistinctSample Draw(SeededRandom random, long population, int count)
    {
        if (count > population)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} distinct out of {population}");
        }
        var stride = 1 + random.NextLong(Math.Max(1, population - 1));
        while (Gcd(stride, population) != 1)
        {
            stride = stride % population + 1;
        }
        return new DistinctSample(population, random.NextLong(population), stride, count);
    }

    public long this[int t] => (long)(((Int128)Start + (Int128)t * Stride) % Population);

    public IEnumerable<long> All()
    {
        var position = Start;
        for (var t = 0; t < Count; t++)
        {
            yield return position;
            position = (position + Stride) % Population;
        }
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a;
    }
}
