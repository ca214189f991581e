namespace PermissionLayer.Storage.Changes;

/// <summary>A committed change as a silo's catch-up reads it: its revision and the entities it alters.</summary>
public sealed record ChangedEntities(long Revision, IReadOnlyList<ChangedEntity> Entities);
