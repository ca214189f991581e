namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>Which request an answer is for: token index, probe, patient (local) and label.</summary>
internal sealed record ProbeKey(int Token, Probe Probe, string? Patient = null, string? Label = null)
{
    public override string ToString() => Probe switch
    {
        Probe.NamedSearch => $"SEARCH_TYPE Observation?patient={Patient}",
        Probe.Read => $"READ Observation of {Patient} (unlabelled)",
        Probe.LabelledRead => $"READ Observation of {Patient} labelled {Label}",
        Probe.VariantRead => $"READ Observation of {Patient} with {Label}",
        Probe.ResultRead => $"READ of the search result: {Model.ResultSpec.Decode(Label!)}",
        _ => "SEARCH_TYPE Observation (no patient named)",
    };
}
