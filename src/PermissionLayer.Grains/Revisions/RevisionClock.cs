namespace PermissionLayer.Grains.Revisions;

/// <summary>
/// The entitlement revision this silo has <em>applied</em>: every change up to it has reached this
/// silo's activations of the entities it altered (each reloaded, or marked stale so that it reloads
/// before it answers again). Decisions report it and serve <c>min_revision</c> only up to it, so a
/// reported revision R means "no change up to R is missing from what this decision read".
/// </summary>
/// <remarks>
/// Only <see cref="RevisionSync"/> advances it: from the change log (its catch-up marks the touched
/// activations first, then advances), or after a write through a grain on this silo when that write
/// is the next revision (nothing in between to apply). PostgreSQL's latest revision is not enough: a
/// batch or an import commits before its grains reload, and another silo's activations may not have
/// reloaded at all.
/// </remarks>
public sealed class RevisionClock
{
    private long _applied;

    public long Current => Volatile.Read(ref _applied);

    /// <summary>Moves the clock to <paramref name="revision"/> (never back); callers have applied everything up to it.</summary>
    internal void Advance(long revision)
    {
        var seen = Volatile.Read(ref _applied);
        while (revision > seen)
        {
            var witnessed = Interlocked.CompareExchange(ref _applied, revision, seen);
            if (witnessed == seen)
            {
                return;
            }
            seen = witnessed;
        }
    }

    /// <summary>Advances to <paramref name="revision"/> only if it directly follows the applied one.</summary>
    internal bool TryAdvanceTo(long revision) => Interlocked.CompareExchange(ref _applied, revision, revision - 1) == revision - 1;
}
