namespace PermissionLayer.Grains.Revisions;

/// <summary>
/// Carries the revision a decision reports to every grain call it makes (Orleans' RequestContext
/// travels with each call, also onward to the grains those grains ask). A grain on a silo that has
/// not applied that revision yet catches up before it answers (<see cref="LocalState.GrainLifecycle{TSnapshot}"/>),
/// so a decision reporting R never reads, on any silo, an activation missing a change up to R.
/// </summary>
public static class RevisionContext
{
    public const string Key = "pl.applied-revision";

    /// <summary>Sets the revision for the calls made from here on in this asynchronous flow.</summary>
    public static void Require(long revision) => RequestContext.Set(Key, revision);

    /// <summary>The revision the current call carries, or 0.</summary>
    public static long Required => RequestContext.Get(Key) is long revision ? revision : 0;
}
