namespace PermissionLayer.DataGenerator.Generation;

/// <summary>A ward membership: FHIR dateTimes with a zone, and whether it holds between 2026 and 2029.</summary>
public sealed record MembershipPeriod(string Start, string? End, bool CurrentlyMember);
