namespace PermissionLayer.Storage.Groups;

/// <summary>One member row to write: the set it belongs to, its period, and the revision of the change that wrote it.</summary>
internal sealed record GroupMemberWrite(string GroupId, GroupMembership Member, long Revision);
