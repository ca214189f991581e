namespace PermissionLayer.Core.Decisions;

/// <summary>
/// What a reason may tell the requester. The consent and label terms protect information by their
/// very wording: "labelled HIV", "Consent/x denies actor Organization/y, code z" disclose what they
/// withhold. Their reasons reach the FHIR server (and so the user) in these fixed words; the full
/// explanation stays in the audit for privacy officers. Any consent or label code not listed gets the
/// plain word for its outcome, so a new code cannot leak by default.
/// </summary>
public static class UserSafeMessage
{
    private static readonly Dictionary<string, string> ByCode = new(StringComparer.Ordinal)
    {
        ["labels.confidentiality"] = "the data is more confidential than your clearance allows",
        ["labels.sensitivity"] = "the data carries a sensitivity label you are not cleared for",
        ["labels.unknown"] = "whether the data's labels are within your clearance is unknown",
        ["labels.cleared"] = "the data's labels are within your clearance",
        ["labels.search-excluded"] = "results are limited to data within your clearance",
        ["consent.deny"] = "the patient's consent does not permit this access",
        ["consent.default-deny"] = "the patient has not consented to this access",
        ["consent.permit"] = "the patient's consent permits this access",
        ["consent.none"] = "no consent restricts this access",
        ["consent.not-patient-data"] = "the data belongs to no patient, so no consent applies",
        ["consent.screened"] = "no patient's consent withholds this data",
        ["consent.withheld"] = "patients whose consent withholds this data are left out of the results",
        ["consent.withholds-all"] = "the patients' consent withholds this data",
        ["consent.only-consenting"] = "results are limited to patients who consented",
    };

    public static string Of(DecisionReason reason)
    {
        if (reason.Term is not (DecisionTerm.Consent or DecisionTerm.Labels))
        {
            return reason.Message;
        }
        return reason.Note is { } note ? $"{Protected(reason)} ({note})" : Protected(reason);
    }

    private static string Protected(DecisionReason reason)
    {
        if (reason.Code.EndsWith(".break-glass", StringComparison.Ordinal))
        {
            return "lifted by break-the-glass: this emergency access is recorded for review";
        }
        return ByCode.TryGetValue(reason.Code, out var words) ? words
            : reason.Term == DecisionTerm.Consent
                ? reason.Outcome == Outcome.Permit ? "the patient's consent permits this access" : "the patient's consent does not permit this access"
                : reason.Outcome == Outcome.Permit ? "the data's labels permit this access" : "the data's labels do not permit this access";
    }

    /// <summary>The source a requester may see: none for the consent and label terms (a provision path, a label code).</summary>
    public static string? SourceOf(DecisionReason reason) =>
        reason.Term is DecisionTerm.Consent or DecisionTerm.Labels ? null : reason.Source;
}
