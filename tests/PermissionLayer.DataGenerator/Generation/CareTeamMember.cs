namespace PermissionLayer.DataGenerator.Generation;

/// <summary>A care team participant; a period that ended (a locum) no longer entitles.</summary>
public sealed record CareTeamMember(int Practitioner, string? Start, string? End)
{
    public bool Current => End is null;
}
