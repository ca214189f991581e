namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>A half-open validity window; an open end is unbounded (an open start of a grant means "since it was written").</summary>
internal sealed record Window(DateTimeOffset? From, DateTimeOffset? Until)
{
    public static readonly Window Always = new(null, null);

    public bool IsAlways => From is null && Until is null;

    public bool Covers(DateTimeOffset at) => (From is null || From <= at) && (Until is null || at < Until);

    public override string ToString() => IsAlways ? "always" : $"[{CaseTime.Describe(From)}, {CaseTime.Describe(Until)})";
}
