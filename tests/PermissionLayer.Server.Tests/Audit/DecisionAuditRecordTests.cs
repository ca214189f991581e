using PermissionLayer.Core.Decisions;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Testing.Audit;

namespace PermissionLayer.Server.Tests.Audit;

/// <summary>The fields of a decision's audit row that the recorder derives from its reasons and request.</summary>
public sealed class DecisionAuditRecordTests
{
    [Fact]
    public void A_permit_records_its_reasons_its_consents_and_the_touched_patient()
    {
        var record = DecisionAuditRecorder.ToRecord(Guid.CreateVersion7(), AuditSamples.PermitRequest, AuditSamples.PermitOutcome, "key:pep/1", TimeSpan.FromMicroseconds(250));

        Assert.Equal(ReferenceReasonsJson.Of(AuditSamples.PermitReasons), record.ReasonsJson);
        Assert.Equal(["Consent/pat-100234-treatment"], record.Consents);
        Assert.Equal(["pat-100234"], record.Patients);
        Assert.Equal("permit", record.Outcome);
        Assert.Null(record.DecidingTerm);
        Assert.Equal("Organization/st-mary-cardiology", record.UserOrganization);
        Assert.Equal(250, record.LatencyMicroseconds);
    }

    [Fact]
    public void A_deny_names_its_first_deny_and_each_consent_once_in_the_order_cited()
    {
        Decision decision = Decision.Of(
        [
            DecisionReason.Permit(DecisionTerm.Consent, "consent.permit", "permits", "Consent/b"),
            DecisionReason.Permit(DecisionTerm.User, "user.grant", "grant", "Consent/not-a-consent-term"),
            DecisionReason.Deny(DecisionTerm.Labels, "labels.confidentiality", "restricted"),
            DecisionReason.Deny(DecisionTerm.Consent, "consent.deny", "denies", "Consent/a"),
            DecisionReason.Permit(DecisionTerm.Consent, "consent.permit", "permits again", "Consent/b"),
            DecisionReason.Permit(DecisionTerm.Consent, "consent.permit", "no source"),
        ]);
        var request = AuditSamples.PermitRequest with { Stored = null, ResourceType = "Patient", ResourceId = "pat-7" };

        var record = DecisionAuditRecorder.ToRecord(Guid.CreateVersion7(), request, new DecisionOutcome(decision, 1), "key:pep/1", TimeSpan.Zero);

        Assert.Equal("deny", record.Outcome);
        Assert.Equal("labels", record.DecidingTerm);
        Assert.Equal(["Consent/b", "Consent/a"], record.Consents);
        Assert.Equal(["pat-7"], record.Patients);
        Assert.Equal(ReferenceReasonsJson.Of(decision.Reasons), record.ReasonsJson);
    }

    [Fact]
    public void A_request_that_names_no_patient_records_the_launch_patient_or_none()
    {
        var search = AuditSamples.PermitRequest with { Stored = null, ResourceId = null, Interaction = Core.Requests.Interaction.SearchType };
        var launched = search with { Token = search.Token with { LaunchPatient = "pat-launch" } };

        Assert.Equal(["pat-launch"], DecisionAuditRecorder.ToRecord(Guid.Empty, launched, AuditSamples.PermitOutcome, "c", TimeSpan.Zero).Patients);
        Assert.Empty(DecisionAuditRecorder.ToRecord(Guid.Empty, search, AuditSamples.PermitOutcome, "c", TimeSpan.Zero).Patients);
    }
}
