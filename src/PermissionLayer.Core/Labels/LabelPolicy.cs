using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Labels;

/// <summary>
/// The label term: data whose confidentiality is above the user's ceiling, or that carries a
/// sensitivity category the user was not granted, is denied. For searches the same rule becomes the
/// list of labels the FHIR server must exclude.
/// </summary>
public static class LabelPolicy
{
    public static DecisionReason Evaluate(IReadOnlyList<Token> labels, Clearance clearance)
    {
        var mark = Confidentiality.HighWaterMark(labels);
        if (Confidentiality.Rank(mark) > Confidentiality.Rank(clearance.Ceiling))
        {
            return DecisionReason.Deny(DecisionTerm.Labels, "labels.confidentiality",
                $"the data is confidentiality {mark}, above the user's {clearance.Describe()}", mark);
        }
        var uncleared = labels.Select(SensitivityCategory.Required).OfType<string>()
            .FirstOrDefault(code => !clearance.Categories.Contains(code));
        return uncleared is null
            ? DecisionReason.Permit(DecisionTerm.Labels, "labels.cleared",
                $"the data's labels (confidentiality {mark}) are within the user's {clearance.Describe()}")
            : DecisionReason.Deny(DecisionTerm.Labels, "labels.sensitivity",
                $"the data is labelled {uncleared}, a sensitivity category the user was not granted ({clearance.Describe()})", uncleared);
    }

    /// <summary>
    /// The <c>system|code</c> labels a search must exclude for this clearance, in every spelling a FHIR
    /// server may hold them as (<see cref="CodeSystemAliases.Spellings"/>). ActCode codes the engine
    /// does not know, and confidentiality codes off the scale, cannot be listed (README, Limits).
    /// </summary>
    public static IReadOnlyList<string> Excluded(Clearance clearance) =>
        [
            .. Confidentiality.Above(clearance.Ceiling).SelectMany(c => CodeSystemAliases.Spellings(new Token(Confidentiality.System, c))),
            .. SensitivityCategory.Codes.Where(c => !clearance.Categories.Contains(c)).Order(StringComparer.Ordinal)
                .SelectMany(c => CodeSystemAliases.Spellings(new Token(SensitivityCategory.System, c))),
        ];
}
