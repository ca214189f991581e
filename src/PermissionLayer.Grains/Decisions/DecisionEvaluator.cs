using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Grains.Revisions;

namespace PermissionLayer.Grains.Decisions;

/// <summary>
/// Runs the pure <see cref="DecisionComposition"/> (DESIGN.md §1) over the grains' facts
/// (<see cref="EntitlementReads"/>) at the decision's instant and revision. What stays here is what
/// only a server has: waiting for a <c>min_revision</c>, and carrying the revision read to every grain
/// asked, so a decision never reads state older than the revision it reports.
/// </summary>
public sealed class DecisionEvaluator(
    EntitlementReads reads, ScopeParser scopes, DecisionClock time, RevisionClock revisions, RevisionSync sync, ConsentDefaults defaults)
{
    public async Task<DecisionOutcome> DecideAsync(DecisionRequest request, CancellationToken cancellationToken = default)
    {
        var meaning = RequestMeaning.Of(request);
        if (meaning.Undecidable is { } undecidable)
        {
            return new DecisionOutcome(Decision.Of([undecidable]), revisions.Current);
        }
        if (request.MinRevision > 0 && !await sync.EnsureAtLeastAsync(request.MinRevision, cancellationToken))
        {
            throw new RequestValidationException("min_revision",
                $"revision {request.MinRevision} has not been committed (latest is {revisions.Current})");
        }
        var context = Context();
        var result = await DecisionComposition.DecideAsync(meaning, context, reads);
        return new DecisionOutcome(result.Decision, context.Revision, result.Filter, result.Patients, result.Privacy);
    }

    /// <summary>The patients the token may reach for the interaction: client ∩ user ∩ fhirContext groups, consent-screened.</summary>
    public Task<AccessiblePatients> AccessiblePatientsAsync(
        TokenContext token, Interaction interaction, string resourceType, CancellationToken cancellationToken = default) =>
        DecisionComposition.AccessibleAsync(token, interaction, resourceType, Context(), reads);

    /// <summary>
    /// The decision's context. The revision is read before any state: everything read after it holds
    /// every change up to it on this silo (RevisionClock), and every grain asked on another silo
    /// catches up to it before answering (<see cref="RevisionContext"/>).
    /// </summary>
    private DecisionContext Context()
    {
        var revision = revisions.Current;
        if (revision > 0)
        {
            RevisionContext.Require(revision);
        }
        return new DecisionContext(scopes, defaults, time.GetUtcNow(), revision);
    }
}
