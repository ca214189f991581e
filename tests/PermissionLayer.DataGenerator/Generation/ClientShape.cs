namespace PermissionLayer.DataGenerator.Generation;

/// <summary>A client application: its registration and the patients it reaches (all, or a few wards).</summary>
public sealed record ClientShape(int Index, string Name, string Status, string ScopeCeiling, bool AllPatients, IReadOnlyList<int> Groups);
