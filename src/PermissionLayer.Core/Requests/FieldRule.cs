namespace PermissionLayer.Core.Requests;

/// <summary>How long a string field may be and which characters it may hold; how many items a list field may have.</summary>
public sealed record FieldRule(TextKind Kind, int MaxLength, int MaxItems = FieldLimits.DefaultMaxItems);
