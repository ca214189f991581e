namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>The changes a case makes between its two rounds of questions; each only takes access away.</summary>
internal enum MutationKind
{
    RevokeGrant,
    RemoveMember,
    RemoveParticipant,
    DeactivateCareTeam,
}
