using Grpc.Core;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Console.Tests;

/// <summary>AuditService's review calls fail closed: a review needs a break-the-glass decision on record, a verdict and a note, and is final.</summary>
public sealed class BreakGlassReviewApiTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task A_review_is_refused_without_a_verdict_a_note_or_a_break_glass_decision_and_a_second_review_is_refused()
    {
        var audit = fixture.Audit;
        async Task<StatusCode> Refusal(ReviewBreakGlassRequest request) =>
            (await Assert.ThrowsAsync<RpcException>(() => audit.ReviewBreakGlassAsync(request).ResponseAsync)).StatusCode;

        var emergency = ConsoleFixture.Read(ConsoleFixture.Doctor, "cp-1");
        emergency.Token.PurposeOfUse = "BTG";
        emergency.Token.BreakGlassReason = "api test";
        var decisions = new DecisionService.DecisionServiceClient(fixture.Host.ChannelWith(fixture.PepKey));
        var id = (await decisions.CheckAsync(emergency)).DecisionId;

        Assert.Equal(StatusCode.InvalidArgument, await Refusal(new() { DecisionId = id, Note = "n" }));
        Assert.Equal(StatusCode.InvalidArgument, await Refusal(new() { DecisionId = id, Verdict = BreakGlassVerdict.Justified, Note = "  " }));
        Assert.Equal(StatusCode.InvalidArgument, await Refusal(new() { DecisionId = "not-an-id", Verdict = BreakGlassVerdict.Justified, Note = "n" }));
        // An ordinary decision is not break-the-glass: nothing to review.
        Assert.Equal(StatusCode.NotFound, await Refusal(new() { DecisionId = fixture.PermitId, Verdict = BreakGlassVerdict.Justified, Note = "n" }));
        Assert.Equal(StatusCode.NotFound, await Refusal(new() { DecisionId = Guid.NewGuid().ToString(), Verdict = BreakGlassVerdict.Justified, Note = "n" }));
        // A pep key is no reviewer.
        var asPep = new AuditService.AuditServiceClient(fixture.Host.ChannelWith(fixture.PepKey));
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() =>
            asPep.ReviewBreakGlassAsync(new() { DecisionId = id, Verdict = BreakGlassVerdict.Justified, Note = "n" }).ResponseAsync)).StatusCode);
        Assert.Contains(await ConsoleFixture.ReadAllAsync(audit.PendingBreakGlassReviews(new PendingBreakGlassQuery())), d => d.DecisionId == id);

        var review = await audit.ReviewBreakGlassAsync(new() { DecisionId = id, Verdict = BreakGlassVerdict.Justified, Note = "trauma call" });
        Assert.Equal(id, review.DecisionId);
        Assert.StartsWith("key:test-super/", review.Reviewer);
        Assert.Equal(StatusCode.FailedPrecondition, await Refusal(new() { DecisionId = id, Verdict = BreakGlassVerdict.Unjustified, Note = "changed my mind" }));
        var recorded = Assert.Single(await ConsoleFixture.ReadAllAsync(audit.QueryBreakGlassReviews(new BreakGlassReviewQuery { DecisionId = id })));
        Assert.Equal(BreakGlassVerdict.Justified, recorded.Verdict);
        Assert.DoesNotContain(await ConsoleFixture.ReadAllAsync(audit.PendingBreakGlassReviews(new PendingBreakGlassQuery())), d => d.DecisionId == id);
    }
}
