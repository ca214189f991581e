namespace PermissionLayer.DataGenerator.Generation;

/// <summary>A care team: subject, status, period and participants.</summary>
public sealed record CareTeamShape(int Index, long Subject, string Status, string Start, string? End, IReadOnlyList<CareTeamMember> Participants);
