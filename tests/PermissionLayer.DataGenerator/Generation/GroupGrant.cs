namespace PermissionLayer.DataGenerator.Generation;

/// <summary>A practitioner attending a ward: the grant to its Group, with the clearance some carry.</summary>
public sealed record GroupGrant(int Practitioner, int Group, string Actions, string? Clearance, IReadOnlyList<string> SensitivityCategories);
