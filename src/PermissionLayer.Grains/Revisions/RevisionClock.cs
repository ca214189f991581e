namespace PermissionLayer.Grains.Revisions;

/// <summary>
/// The highest entitlement revision this silo knows to be committed. Grains advance it after their
/// own writes; <see cref="RevisionSync"/> advances it from PostgreSQL when a caller asks for a
/// revision this silo has not heard of. Decisions report it, so a reported revision R means "every
/// change up to R that was acknowledged is visible" — grains apply a write before acknowledging it.
/// </summary>
public sealed class RevisionClock
{
    private long _current;

    public long Current => Interlocked.Read(ref _current);

    public void Observe(long revision)
    {
        var seen = Interlocked.Read(ref _current);
        while (revision > seen)
        {
            var previous = Interlocked.CompareExchange(ref _current, revision, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }
}
