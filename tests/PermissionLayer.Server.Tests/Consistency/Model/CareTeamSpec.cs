namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>A care team as PutCareTeam stores it: while active and in its period, participants reach the subject.</summary>
internal sealed record CareTeamSpec(string Id, string Subject, string Status, Window Period, IReadOnlyList<string> Participants)
{
    public string Reference => $"CareTeam/{Id}";

    public bool InForce(DateTimeOffset at) => Status == "active" && Period.Covers(at);

    public override string ToString() =>
        $"{Reference}: subject {Subject}, {Status}{(Period.IsAlways ? "" : $" {Period}")}, participants [{string.Join(", ", Participants)}]";
}
