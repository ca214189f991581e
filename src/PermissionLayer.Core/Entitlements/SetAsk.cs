namespace PermissionLayer.Core.Entitlements;

/// <summary>A question to a patient set (a Group or an Organization): which of <see cref="Among"/> (null: who at all) are members.</summary>
public sealed record SetAsk(GrantTarget Set, IReadOnlyList<string>? Among);
