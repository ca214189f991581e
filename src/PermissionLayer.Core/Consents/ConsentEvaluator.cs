using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Labels;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// Evaluates a patient's consents against a request (CONSENT.md). Within a consent, a matching
/// provision sets the stance for its subtree and the deepest matching provision decides; between
/// matching siblings and between consents, deny overrides. Only active consents in their period apply;
/// with none, the deployment default rule decides.
/// </summary>
/// <remarks>
/// A provision that only <em>might</em> match (a search, whose data is unknown; data whose codes or
/// labels may be incomplete or lack their system; see <see cref="ProvisionMatch"/>) is resolved so that
/// the answer can only be narrower: a permit that might apply is not counted; a deny that might apply
/// counts, unless it hinges only on sensitivity labels, which are then added to the labels a search
/// must exclude.
/// </remarks>
public static class ConsentEvaluator
{
    public static ConsentVerdict Evaluate(
        string patientId, IReadOnlyList<CompiledConsent> consents, ConsentRequest request, ConsentPolicyRule defaultRule)
    {
        var applicable = consents.Where(c => c.MayApplyAt(request.At)).OrderBy(c => c.ConsentId, StringComparer.Ordinal).ToList();
        var excluded = new List<string>();
        var verdicts = applicable.Select(c => (Consent: c, Decided: DecideConsent(c, request, defaultRule, excluded))).ToList();
        if (verdicts.FirstOrDefault(v => v.Decided.Type == ProvisionType.Deny) is { Consent: not null } deny)
        {
            // A consent whose period only may cover now (a date-only bound) still counts when it denies.
            var uncertain = deny.Consent.SurelyAppliesAt(request.At) ? ""
                : $" (its period {deny.Consent.Root.Period} may cover now in the time zone it was meant in, so it counts)";
            return new ConsentVerdict(DecisionReason.Deny(DecisionTerm.Consent, "consent.deny",
                $"{deny.Consent.Reference} of Patient/{patientId} denies: {deny.Decided.Why}{uncertain}",
                $"{deny.Consent.Reference}#{deny.Decided.Path}"), []);
        }
        // A permit counts only from a consent that surely applies; without one, the default decides.
        var permits = verdicts.Where(v => v.Consent.SurelyAppliesAt(request.At)).ToList();
        if (permits.Count == 0)
        {
            return new ConsentVerdict(defaultRule == ConsentPolicyRule.OptIn
                ? DecisionReason.Permit(DecisionTerm.Consent, "consent.none",
                    $"Patient/{patientId} has no active consent; the deployment default {defaultRule.ToCode()} permits")
                : DecisionReason.Deny(DecisionTerm.Consent, "consent.default-deny",
                    $"Patient/{patientId} has no active consent, and the deployment default {defaultRule.ToCode()} denies"),
                [.. excluded.Distinct(StringComparer.Ordinal)]);
        }
        var sources = string.Join(", ", permits.Select(v => $"{v.Consent.Reference}#{v.Decided.Path}"));
        var why = string.Join("; ", permits.Select(v => $"{v.Consent.Reference} permits: {v.Decided.Why}"));
        return new ConsentVerdict(DecisionReason.Permit(DecisionTerm.Consent, "consent.permit", why, sources),
            [.. excluded.Distinct(StringComparer.Ordinal)]);
    }

    private static Decided DecideConsent(CompiledConsent consent, ConsentRequest request, ConsentPolicyRule defaultRule, List<string> excluded)
    {
        var rule = consent.PolicyRule ?? defaultRule;
        var stance = new Decided(rule.Base(), "policyRule",
            $"its policy {rule.ToCode()}{(consent.PolicyRule is null ? " (deployment default)" : "")} applies, no provision matches");
        return Refine(stance, consent.Root, request, excluded);
    }

    /// <summary>What <paramref name="provision"/> makes of <paramref name="fallback"/>, the stance without it.</summary>
    private static Decided Refine(Decided fallback, ConsentProvision provision, ConsentRequest request, List<string> excluded)
    {
        var match = ProvisionMatch.Of(provision, request);
        if (!match.Yes && !match.Maybe)
        {
            return fallback;
        }
        var own = provision.Type ?? fallback.Type;
        var stance = new Decided(own, provision.Path, Describe(provision, own));
        var decided = DecideChildren(stance, provision, request, excluded);
        if (provision.Type is null && ReferenceEquals(decided, stance))
        {
            return fallback; // a provision without a type decides nothing itself; only its children can
        }
        if (match.Yes || decided.Type == fallback.Type)
        {
            return decided;
        }
        if (decided.Type == ProvisionType.Permit)
        {
            return fallback; // a permit that might not apply is not counted
        }
        if (match.SensitivityOnly)
        {
            // Every spelling the FHIR server may hold the label as, so the exclusion misses none.
            excluded.AddRange(provision.SecurityLabels.SelectMany(CodeSystemAliases.Spellings));
            return fallback;
        }
        return decided with { Why = decided.Why + " (it may apply to data the request does not describe, so it counts)" };
    }

    private static Decided DecideChildren(Decided own, ConsentProvision provision, ConsentRequest request, List<string> excluded)
    {
        Decided? permit = null;
        foreach (var child in provision.Children)
        {
            var decided = Refine(own, child, request, excluded);
            if (ReferenceEquals(decided, own))
            {
                continue;
            }
            if (decided.Type == ProvisionType.Deny)
            {
                return decided; // deny overrides between siblings
            }
            permit ??= decided;
        }
        return permit ?? own;
    }

    private static string Describe(ConsentProvision p, ProvisionType type)
    {
        var parts = new List<string>();
        if (p.Actors.Count > 0) parts.Add("actor " + string.Join(" or ", p.Actors.Select(a => a.Reference)));
        if (p.Actions.Count > 0) parts.Add("action " + string.Join("/", p.Actions));
        if (p.Purposes.Count > 0) parts.Add("purpose " + string.Join("/", p.Purposes));
        if (p.Classes.Count > 0) parts.Add("class " + string.Join("/", p.Classes));
        if (p.Codes.Count > 0) parts.Add("code " + string.Join("/", p.Codes));
        if (p.SecurityLabels.Count > 0) parts.Add("securityLabel " + string.Join("/", p.SecurityLabels.Select(l => l.Code)));
        if (p.DataPeriod is not null) parts.Add($"dataPeriod {p.DataPeriod}");
        if (p.Data.Count > 0) parts.Add("data " + string.Join("/", p.Data.Select(d => d.Reference)));
        var when = parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
        return $"{p.Path}{when} {(type == ProvisionType.Permit ? "permits" : "denies")}";
    }

    private sealed record Decided(ProvisionType Type, string Path, string Why);
}
