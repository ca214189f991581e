namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// The facts the walk needs next: patient sets' members, care teams' subjects in force (for grants to
/// a team), and the principal's participation in their teams. Asked together; empty when the walk
/// can answer from what it has.
/// </summary>
public sealed record WalkAsks(IReadOnlyList<SetAsk> Sets, IReadOnlyList<string> TeamSubjects, IReadOnlyList<string> Participations)
{
    public static readonly WalkAsks None = new([], [], []);

    public bool IsEmpty => Sets.Count == 0 && TeamSubjects.Count == 0 && Participations.Count == 0;

    /// <summary>The number of grain calls these asks take: one per set, team or participation.</summary>
    public int Count => Sets.Count + TeamSubjects.Count + Participations.Count;
}
