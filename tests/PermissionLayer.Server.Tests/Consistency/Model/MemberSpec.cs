namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>A patient's membership of a Group or an Organization, during a period.</summary>
internal sealed record MemberSpec(string Patient, Window Period)
{
    public override string ToString() => Period.IsAlways ? Patient : $"{Patient} {Period}";
}
