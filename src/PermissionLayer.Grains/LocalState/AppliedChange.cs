using PermissionLayer.Storage.Changes;

namespace PermissionLayer.Grains.LocalState;

/// <summary>
/// A committed change as its grain applies it: the snapshot that now holds, the caller's answer, the
/// change's revision, and any other entities it altered (a care team's former and new members).
/// </summary>
internal sealed record AppliedChange<TSnapshot, T>(TSnapshot Snapshot, T Result, long Revision, IReadOnlyList<ChangedEntity>? Others = null);
