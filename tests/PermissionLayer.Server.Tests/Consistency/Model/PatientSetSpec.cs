namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>A Group (ChangeGroupMembers) or an Organization's patients (ChangeOrganizationPatients): <c>Group/g0</c>, <c>Organization/o0</c>.</summary>
internal sealed record PatientSetSpec(string Reference, IReadOnlyList<MemberSpec> Members)
{
    public bool IsOrganization => Reference.StartsWith("Organization/", StringComparison.Ordinal);

    public string Id => Reference[(Reference.IndexOf('/') + 1)..];

    public bool Contains(string patient, DateTimeOffset at) => Members.Any(m => m.Patient == patient && m.Period.Covers(at));

    public override string ToString() => $"{Reference}: {(Members.Count == 0 ? "no members" : string.Join("; ", Members))}";
}
