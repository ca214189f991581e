namespace PermissionLayer.DataGenerator.Generation;

/// <summary>Distinct patients drawn from one organization (Stride = number of organizations) or the whole network.</summary>
public readonly record struct PatientDraw(DistinctSample Sample, int Organization, int Organizations)
{
    public int Count => Sample.Count;

    public long this[int t] => Organization + (long)Organizations * Sample[t];

    public IEnumerable<long> All()
    {
        var organization = Organization;
        var organizations = Organizations;
        return Sample.All().Select(m => organization + (long)organizations * m);
    }
}
