using PermissionLayer.Core.Consents;

namespace PermissionLayer.Core.Tests.Consents;

/// <summary>Compact text for consents and requests, so a failing property prints a case one can read.</summary>
internal static class ConsentShow
{
    public static string Show(IEnumerable<CompiledConsent> consents) => string.Join(" ; ", consents.Select(Show));

    public static string Show(CompiledConsent c) => $"{c.ConsentId} {c.PolicyRule?.ToCode() ?? "default"} {Show(c.Root)}";

    public static string Show(ConsentProvision p)
    {
        var parts = new List<string>();
        if (p.Actors.Count > 0) parts.Add("actor " + string.Join("/", p.Actors.Select(a => a.Reference)));
        if (p.Actions.Count > 0) parts.Add("action " + string.Join("/", p.Actions));
        if (p.Purposes.Count > 0) parts.Add("purpose " + string.Join("/", p.Purposes));
        if (p.Classes.Count > 0) parts.Add("class " + string.Join("/", p.Classes));
        if (p.Codes.Count > 0) parts.Add("code " + string.Join("/", p.Codes));
        if (p.SecurityLabels.Count > 0) parts.Add("label " + string.Join("/", p.SecurityLabels));
        if (p.DataPeriod is not null) parts.Add($"dataPeriod {p.DataPeriod}");
        if (p.Data.Count > 0) parts.Add("data " + string.Join("/", p.Data.Select(d => d.Reference)));
        var type = p.Type switch { ProvisionType.Permit => "permit", ProvisionType.Deny => "deny", _ => "untyped" };
        var children = p.Children.Count == 0 ? "" : " { " + string.Join(", ", p.Children.Select(Show)) + " }";
        return $"{type}({string.Join("; ", parts)}){children}";
    }

    public static string Show(ConsentRequest r) =>
        $"request(actors {string.Join("/", r.Actors)}; actions {string.Join("/", r.Actions)}; purpose {r.Purpose}; type {r.ResourceType}; "
        + $"codes [{string.Join(", ", r.Codes)}]; labels [{string.Join(", ", r.Labels)}]; recorded {r.RecordedAt?.ToString("O") ?? "?"}; "
        + $"reference {r.Reference ?? "?"}; {(r.FactsComplete ? "complete" : "incomplete")}{(r.DataUnknown ? "; search" : "")})";
}
