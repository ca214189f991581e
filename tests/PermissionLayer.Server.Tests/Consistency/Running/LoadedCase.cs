using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// A case as loaded on the server: its names, and the server's grant ids mapped back to the generated
/// grants (WhoCanSee names grants by id only) and the grant keys to the server's ids (to revoke them).
/// </summary>
internal sealed record LoadedCase(ConsistencyCase Case, CaseNames Names, IReadOnlyDictionary<string, GrantSpec> GrantsById)
{
    public string IdOf(int grantKey) => GrantsById.First(g => g.Value.Key == grantKey).Key;
}
