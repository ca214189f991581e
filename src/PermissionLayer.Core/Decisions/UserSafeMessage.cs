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

    /// <summary>
    /// Reasons of the entitlement terms whose detail names the patients the resource concerns, which the
    /// FHIR server read from it and which a denied requester may not be entitled to (a DENY carries the
    /// other terms' permits too): in a DENY, fixed words on the wire; the audit keeps which grant
    /// reached (or missed) which patient. A PERMIT's requester may see all of them, so it keeps the detail.
    /// </summary>
    private static readonly Dictionary<string, string> PatientNaming = new(StringComparer.Ordinal)
    {
        ["user.grant"] = "your grants reach every patient this data concerns",
        ["client.grant"] = "the client app's grants reach every patient this data concerns",
        ["context.group"] = "every patient this data concerns is in the group this access is narrowed to",
        ["user.no-grant"] = "no grant of yours reaches every patient this data concerns",
        ["client.no-grant"] = "no grant of the client app reaches every patient this data concerns",
        ["context.outside-group"] = "the data concerns a patient outside the group this access is narrowed to",
    };

    /// <summary>The words for the requester of a reason in a decision with outcome <paramref name="decision"/>.</summary>
    public static string Of(DecisionReason reason, Outcome decision)
    {
        if (decision == Outcome.Deny && reason.Term is not (DecisionTerm.Consent or DecisionTerm.Labels)
            && PatientNaming.TryGetValue(reason.Code, out var words))
        {
            // The groups a token is narrowed to are the requester's own; only the patient is withheld.
            var within = reason.Code.StartsWith("context.", StringComparison.Ordinal) && reason.Source is { Length: > 0 } groups ? $" ({groups})" : "";
            return reason.Note is { } note ? $"{words}{within} ({note})" : words + within;
        }
        return Of(reason);
    }

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
