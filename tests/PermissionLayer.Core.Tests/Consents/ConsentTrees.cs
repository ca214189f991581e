using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Consents;

/// <summary>Small builders for provision trees, so each table row shows only its tree.</summary>
internal static class ConsentTrees
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static CompiledConsent Consent(string id, ConsentPolicyRule? rule, params ConsentProvision[] children) =>
        Consent(id, rule, null, children);

    public static CompiledConsent Consent(string id, ConsentPolicyRule? rule, ConsentPeriod? period, params ConsentProvision[] children) => new()
    {
        ConsentId = id,
        PatientId = "p1",
        Status = "active",
        PolicyRule = rule,
        Root = Numbered(new ConsentProvision { Path = "provision", Period = period, Children = children }),
    };

    public static ConsentProvision Deny(params ConsentProvision[] children) => new() { Path = "", Type = ProvisionType.Deny, Children = children };

    public static ConsentProvision Permit(params ConsentProvision[] children) => new() { Path = "", Type = ProvisionType.Permit, Children = children };

    public static ConsentProvision Actor(this ConsentProvision p, string reference) => p with { Actors = [new ConsentActor("PRCP", reference)] };

    public static ConsentProvision Purpose(this ConsentProvision p, string purpose) => p with { Purposes = Set(purpose) };

    public static ConsentProvision Class(this ConsentProvision p, params string[] types) => p with { Classes = Set(types) };

    public static ConsentProvision Code(this ConsentProvision p, string token) => p with { Codes = [Token.Parse(token)] };

    public static ConsentProvision Label(this ConsentProvision p, string token) => p with { SecurityLabels = [Token.Parse(token)] };

    public static ConsentProvision RecordedDuring(this ConsentProvision p, DateTimeOffset? start, DateTimeOffset? end) => p with { DataPeriod = new ConsentPeriod(start, end) };

    public static ConsentProvision Data(this ConsentProvision p, string reference) => p with { Data = [new ConsentData("instance", reference)] };

    public static ConsentProvision During(this ConsentProvision p, DateTimeOffset? start, DateTimeOffset? end) => p with { Period = new ConsentPeriod(start, end) };

    public static ConsentProvision Actions(this ConsentProvision p, params string[] actions) => p with { Actions = Set(actions) };

    public static ConsentRequest Request(
        string user = "Practitioner/a", string type = "Condition", string purpose = "TREAT", string[]? affiliations = null,
        string[]? labels = null, string[]? codes = null, Interaction interaction = Interaction.Read, bool search = false) => new()
        {
            Actors = Set([user, .. affiliations ?? []]),
            Actions = ConsentActions.Of(interaction),
            Purpose = purpose,
            ResourceType = type,
            Labels = [.. (labels ?? []).Select(Token.Parse)],
            Codes = [.. (codes ?? []).Select(Token.Parse)],
            At = Now,
            DataUnknown = search,
        };

    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.Ordinal);

    /// <summary>Gives every nested provision its FHIR path, as the compiler does.</summary>
    public static ConsentProvision Numbered(ConsentProvision p) =>
        p with { Children = [.. p.Children.Select((c, i) => Numbered(c with { Path = $"{p.Path}.provision[{i}]" }))] };
}
