using System.Collections.Concurrent;
using System.Collections.Immutable;
using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains.LocalState;

/// <summary>
/// This silo's activations by the entity they hold (<see cref="ChangedEntity.Reference"/>), so that a
/// change read from the change log reaches exactly the activations it makes out of date. An activation
/// registers before it loads and leaves when it ends (see <see cref="GrainLifecycle{TSnapshot}"/>).
/// </summary>
public sealed class LocalActivations
{
    private readonly ConcurrentDictionary<string, ImmutableArray<IStaleable>> _byEntity = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _countByKind = new(StringComparer.Ordinal);
    private long _registrations;

    /// <summary>How many registrations were ever made (the catch-up's start uses it to see that none raced it).</summary>
    internal long Registrations => Interlocked.Read(ref _registrations);

    internal bool IsEmpty => _byEntity.IsEmpty;

    /// <summary>Activations currently registered (for tests and diagnostics).</summary>
    public int Count => _byEntity.Values.Sum(a => a.Length);

    /// <summary>
    /// Activations currently registered, by the kind of entity they hold (<see cref="ChangedEntity.Kind"/>):
    /// kept as they register and leave, so that telemetry reads it without walking every activation.
    /// </summary>
    public IEnumerable<KeyValuePair<string, int>> CountByKind => _countByKind;

    internal void Register(ChangedEntity entity, IStaleable activation)
    {
        Interlocked.Increment(ref _registrations);
        _byEntity.AddOrUpdate(entity.Reference, _ => [activation], (_, present) => present.Add(activation));
        _countByKind.AddOrUpdate(entity.Kind, 1, static (_, count) => count + 1);
    }

    internal void Unregister(ChangedEntity entity, IStaleable activation)
    {
        while (_byEntity.TryGetValue(entity.Reference, out var present))
        {
            var left = present.Remove(activation);
            if (left.Length == present.Length)
            {
                return;
            }
            var replaced = left.IsEmpty
                ? _byEntity.TryRemove(new KeyValuePair<string, ImmutableArray<IStaleable>>(entity.Reference, present))
                : _byEntity.TryUpdate(entity.Reference, left, present);
            if (replaced)
            {
                _countByKind.AddOrUpdate(entity.Kind, 0, static (_, count) => count - 1);
                return;
            }
        }
    }

    /// <summary>Tells this silo's activations of <paramref name="entities"/> that the change <paramref name="revision"/> altered them.</summary>
    internal void Changed(long revision, IEnumerable<ChangedEntity> entities)
    {
        foreach (var entity in entities)
        {
            if (_byEntity.TryGetValue(entity.Reference, out var activations))
            {
                foreach (var activation in activations)
                {
                    activation.Changed(revision);
                }
            }
        }
    }
}

/// <summary>An activation that a committed change can make out of date.</summary>
internal interface IStaleable
{
    /// <summary>The change <paramref name="revision"/> altered the entity; called from any thread.</summary>
    void Changed(long revision);
}
