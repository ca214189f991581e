using PermissionLayer.Core.Consents;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// A consent question asked of many patients at once. <see cref="Withheld"/>: the patients (sorted)
/// whose consent denies the question, or would withhold some of their data by label — a search that
/// names no patient leaves them out entirely rather than hiding those labels from everyone's results.
/// <see cref="OnlyPermitted"/> is set only for a screening of every patient under a deployment default
/// that denies patients without consent: then just these patients (sorted) may be reached.
/// </summary>
public sealed record PopulationScreen(IReadOnlyList<string> Withheld, IReadOnlyList<string>? OnlyPermitted, int PatientsWithConsents)
{
    /// <summary>
    /// Patients (sorted) the screen lets through whose consent would withhold data of some other type
    /// (asked as if the data could be of any type): a result of theirs that carries resources inside it
    /// (a contained Condition) may be withheld, which no patient restriction says (the obligation's
    /// carried-check patients).
    /// </summary>
    public IReadOnlyList<string> CarriedWithheld { get; init; } = [];

    /// <summary>
    /// Screens <paramref name="candidates"/> (null: every patient) against their consents.
    /// <paramref name="withConsents"/> lists (sorted) every patient with a consent on record.
    /// </summary>
    public static PopulationScreen Of(
        IReadOnlyList<string>? candidates, IReadOnlyList<string> withConsents, Func<string, IReadOnlyList<CompiledConsent>?> consentsOf,
        ConsentRequest question, ConsentPolicyRule defaultRule)
    {
        var defaultPermits = defaultRule.Base() == ProvisionType.Permit;
        // Data of any type, for what a result may carry inside it: the most a class can match.
        var anyType = question.ResourceType == "*" ? null : question with { ResourceType = "*", CarriedTypes = [] };
        // Whether the patient's consents let the requester have all of the data the question may cover.
        bool Allows(string patient, ConsentRequest asked)
        {
            // Most candidates have no consent: the default decides, without building a reason per patient.
            if (consentsOf(patient) is not { Count: > 0 } consents)
            {
                return defaultPermits;
            }
            var verdict = ConsentEvaluator.Evaluate(patient, consents, asked, defaultRule);
            return verdict.Permitted && verdict.ExcludedLabels.Count == 0;
        }
        // Among the patients let through, those with consents whose answer changes for data of any type.
        IReadOnlyList<string> CarriedWithheldAmong(IEnumerable<string> allowed) =>
            anyType is null ? [] : [.. allowed.Where(p => consentsOf(p) is { Count: > 0 } && !Allows(p, anyType)).Order(StringComparer.Ordinal)];
        // One pass: the patients the question withholds, and those it lets through (whose carried data may still be).
        PopulationScreen Screened(IEnumerable<string> patients)
        {
            var withheld = new List<string>();
            var allowed = new List<string>();
            foreach (var patient in patients)
            {
                (Allows(patient, question) ? allowed : withheld).Add(patient);
            }
            return new PopulationScreen(withheld, null, withConsents.Count) { CarriedWithheld = CarriedWithheldAmong(allowed) };
        }
        if (candidates is not null)
        {
            return Screened(candidates);
        }
        // Every patient: those without consent follow the deployment default. When it permits, the
        // screen names the consenting patients who withhold; when it denies, only patients whose consent
        // permits can be reached, and they are all among those with consents.
        if (defaultPermits)
        {
            return Screened(withConsents);
        }
        var permitted = withConsents.Where(p => Allows(p, question)).ToList();
        return new PopulationScreen([], permitted, withConsents.Count) { CarriedWithheld = CarriedWithheldAmong(permitted) };
    }

    /// <summary>
    /// One screen of the patients of several disjoint screens (the consent registry's shards, each asked
    /// about its own patients with the same question and default). Their parts must agree on whether
    /// the screen is of only-permitted patients; a mix means a part was asked something else, and is refused.
    /// </summary>
    public static PopulationScreen Merge(IReadOnlyList<PopulationScreen> parts)
    {
        var onlyPermitted = parts.Count(p => p.OnlyPermitted is not null);
        if (onlyPermitted != 0 && onlyPermitted != parts.Count)
        {
            throw new InvalidOperationException("population screens to merge disagree on whether they list only permitted patients");
        }
        return new PopulationScreen(
            [.. parts.SelectMany(p => p.Withheld).Order(StringComparer.Ordinal)],
            onlyPermitted == 0 ? null : [.. parts.SelectMany(p => p.OnlyPermitted!).Order(StringComparer.Ordinal)],
            parts.Sum(p => p.PatientsWithConsents))
        {
            CarriedWithheld = [.. parts.SelectMany(p => p.CarriedWithheld).Order(StringComparer.Ordinal)],
        };
    }
}
