namespace PermissionLayer.DataGenerator.Generation;

/// <summary>A ward: its organization and its members (each with a period, <see cref="HospitalNetwork.Membership"/>).</summary>
public sealed record GroupShape(int Index, int Organization, PatientDraw Members);
