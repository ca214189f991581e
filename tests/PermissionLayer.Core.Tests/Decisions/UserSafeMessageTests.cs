using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Core.Tests.Decisions;

/// <summary>Consent and label reasons reach the requester without what they protect.</summary>
public sealed class UserSafeMessageTests
{
    [Theory]
    [InlineData(DecisionTerm.Labels, Outcome.Deny, "labels.sensitivity", "the data is labelled HIV, a sensitivity category the user was not granted", "HIV")]
    [InlineData(DecisionTerm.Labels, Outcome.Deny, "labels.confidentiality", "the data is confidentiality V, above the user's clearance N", "V")]
    [InlineData(DecisionTerm.Consent, Outcome.Deny, "consent.deny", "Consent/c1 of Patient/p denies: provision (actor Organization/f001, code http://loinc.org|1234-5) denies", "Consent/c1#provision")]
    [InlineData(DecisionTerm.Consent, Outcome.Permit, "consent.permit", "Consent/c1 permits: provision.provision[0] (actor Practitioner/x, securityLabel PSY) permits", "Consent/c1#provision.provision[0]")]
    [InlineData(DecisionTerm.Consent, Outcome.Deny, "consent.some-future-code", "Consent/c2 denies actor Organization/f001", "Consent/c2#provision")]
    [InlineData(DecisionTerm.Labels, Outcome.Permit, "labels.sensitivity.break-glass", "lifted by break-the-glass: the data is labelled HIV", "HIV")]
    public void Neither_message_nor_source_names_labels_actors_codes_or_provisions(DecisionTerm term, Outcome outcome, string code, string detail, string source)
    {
        var reason = new DecisionReason(term, outcome, code, detail, source);
        var safe = UserSafeMessage.Of(reason);
        foreach (var secret in new[] { "HIV", "Organization", "loinc", "Consent/", "provision", "PSY", " V" })
        {
            Assert.DoesNotContain(secret, safe);
        }
        Assert.Null(UserSafeMessage.SourceOf(reason));
        Assert.Equal(detail, reason.Message);
    }

    [Fact]
    public void Other_terms_keep_their_message_and_source_in_a_permit()
    {
        var reason = DecisionReason.Permit(DecisionTerm.User, "user.grant", "grant g (Practitioner/x → Group/w) reaches Patient/p, a member of Group/w", "g");
        Assert.Equal(reason.Message, UserSafeMessage.Of(reason, Outcome.Permit));
        Assert.Equal("g", UserSafeMessage.SourceOf(reason));
    }

    [Theory]
    [InlineData(DecisionTerm.User, Outcome.Deny, "user.no-grant", "no effective grant gives Practitioner/x 'r' on Patient/hidden", "Practitioner/x")]
    [InlineData(DecisionTerm.Client, Outcome.Permit, "client.grant", "grant g (Client/app → *, cruds) reaches Patient/hidden", "g")]
    [InlineData(DecisionTerm.Request, Outcome.Deny, "context.outside-group", "Patient/hidden is not a member of the token's fhirContext Group/w", "Group/w")]
    public void In_a_deny_the_entitlement_reasons_do_not_name_the_patients_the_data_concerns(DecisionTerm term, Outcome outcome, string code, string detail, string source)
    {
        var reason = new DecisionReason(term, outcome, code, detail, source);
        Assert.DoesNotContain("hidden", UserSafeMessage.Of(reason, Outcome.Deny));
        Assert.Equal(source, UserSafeMessage.SourceOf(reason));
        Assert.Contains("hidden", UserSafeMessage.Of(reason, Outcome.Permit)); // a permitted requester may see them all
    }
}
