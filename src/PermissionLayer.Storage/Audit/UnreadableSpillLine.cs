namespace PermissionLayer.Storage.Audit;

/// <summary>A line of a spill file that is not a record, with its 1-based number and why.</summary>
public sealed record UnreadableSpillLine(int Number, string Text, string Error);
