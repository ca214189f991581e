using PermissionLayer.Core.Sync;

namespace PermissionLayer.Grains.Sync;

/// <summary>Why a feed must recompute: the touching entities of a commit up to <paramref name="Revision"/>, or a period boundary passed (<paramref name="Boundary"/>).</summary>
public sealed record FeedSignal(long Revision, IReadOnlyList<SyncEntity> Because, DateTimeOffset? Boundary);
