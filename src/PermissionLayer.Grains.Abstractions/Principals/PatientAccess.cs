namespace PermissionLayer.Grains.Abstractions.Principals;

/// <summary>One patient's part of an <see cref="AccessAnswer"/>: the grant that reached them, if any.</summary>
[GenerateSerializer, Immutable]
public sealed record PatientAccess(
    [property: Id(0)] string Patient,
    [property: Id(1)] Guid? GrantId,
    [property: Id(2)] string Explanation)
{
    public bool Permitted => GrantId is not null;
}
