namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>A FHIR R4 privacy Consent: status, policy rule (null: the deployment default), the root provision's period, its nested provisions.</summary>
internal sealed record ConsentSpec(string Id, string Patient, string Status, string? PolicyRule, Window Period, IReadOnlyList<ProvisionSpec> Provisions)
{
    public bool AppliesAt(DateTimeOffset at) => Status == "active" && Period.Covers(at);

    public IEnumerable<ProvisionSpec> AllProvisions() => Provisions.SelectMany(p => p.SelfAndDescendants());

    public override string ToString() =>
        $"Consent/{Id} of {Patient}: {Status}, {PolicyRule ?? "default rule"}{(Period.IsAlways ? "" : $", period {Period}")}, " +
        $"provisions [{string.Join("; ", Provisions.Select(p => p.Describe()))}]";
}
