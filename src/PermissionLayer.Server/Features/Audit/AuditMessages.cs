using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Requests;
using PermissionLayer.Storage.Audit;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>Wire messages of audit.proto ↔ the audit log's types.</summary>
internal static class AuditMessages
{
    public static DecisionFilter ToFilter(DecisionQuery query) => new()
    {
        Patient = NullIfEmpty(query.Patient),
        FhirUser = NullIfEmpty(query.FhirUser),
        ClientId = NullIfEmpty(query.ClientId),
        Outcome = query.Outcome switch
        {
            Outcome.Permit => "permit",
            Outcome.Deny => "deny",
            _ => null,
        },
        PurposeOfUse = NullIfEmpty(query.PurposeOfUse),
        BreakGlassOnly = query.BreakGlassOnly,
        From = query.From?.ToDateTimeOffset(),
        To = query.To?.ToDateTimeOffset(),
        After = Cursor(query.Cursor),
        Limit = Limit(query.Limit),
    };

    public static AdminChangeFilter ToFilter(AdminChangeQuery query) => new()
    {
        Actor = NullIfEmpty(query.Actor),
        Target = NullIfEmpty(query.Target),
        Operation = NullIfEmpty(query.Operation),
        From = query.From?.ToDateTimeOffset(),
        To = query.To?.ToDateTimeOffset(),
        AfterRevision = RevisionCursor(query.Cursor),
        Limit = Limit(query.Limit),
    };

    public static BreakGlassReviewFilter ToFilter(BreakGlassReviewQuery query) => new()
    {
        DecisionId = query.DecisionId.Length == 0 ? null
            : Guid.TryParse(query.DecisionId, out var id) ? id
            : throw new RequestValidationException("decision_id", $"'{query.DecisionId}' is not a decision id"),
        Reviewer = NullIfEmpty(query.Reviewer),
        From = query.From?.ToDateTimeOffset(),
        To = query.To?.ToDateTimeOffset(),
        After = Cursor(query.Cursor),
        Limit = Limit(query.Limit),
    };

    public static Contracts.V1.BreakGlassReview ToWire(Storage.Audit.BreakGlassReview review) => new()
    {
        ReviewId = review.ReviewId.ToString(),
        DecisionId = review.DecisionId.ToString(),
        DecidedAt = Timestamp.FromDateTimeOffset(review.DecidedAt),
        ReviewedAt = Timestamp.FromDateTimeOffset(review.ReviewedAt),
        Reviewer = review.Reviewer,
        Verdict = review.Justified ? BreakGlassVerdict.Justified : BreakGlassVerdict.Unjustified,
        Note = review.Note,
        Cursor = new AuditCursor(review.ReviewedAt, review.ReviewId).ToString(),
    };

    public static DecisionRecord ToWire(StoredDecision stored)
    {
        var d = stored.Decision;
        var record = new DecisionRecord
        {
            DecisionId = d.DecisionId.ToString(),
            DecidedAt = Timestamp.FromDateTimeOffset(d.DecidedAt),
            Caller = d.Caller,
            ClientId = d.ClientId,
            FhirUser = d.FhirUser ?? "",
            UserOrganization = d.UserOrganization ?? "",
            Interaction = d.Interaction,
            ResourceType = d.ResourceType,
            ResourceId = d.ResourceId ?? "",
            PurposeOfUse = d.PurposeOfUse ?? "",
            BreakGlass = d.BreakGlass,
            BreakGlassReason = d.BreakGlassReason ?? "",
            Jti = d.Jti ?? "",
            Outcome = ToWire(d.Outcome),
            DecidingTerm = d.DecidingTerm ?? "",
            Revision = d.Revision,
            LatencyUs = d.LatencyMicroseconds,
            WriterId = stored.WriterId.ToString(),
            Sequence = stored.Sequence,
            Cursor = CursorOf(stored),
        };
        record.Patients.AddRange(d.Patients);
        record.Consents.AddRange(d.Consents);
        record.Reasons.AddRange(ReasonsOf(d.ReasonsJson));
        return record;
    }

    public static PatientAccessEntry ToAccessEntry(StoredDecision stored)
    {
        var d = stored.Decision;
        var reasons = ReasonsOf(d.ReasonsJson);
        var deciding = reasons.FirstOrDefault(r => r.Outcome == Outcome.Deny);
        return new PatientAccessEntry
        {
            DecidedAt = Timestamp.FromDateTimeOffset(d.DecidedAt),
            Who = d.FhirUser ?? $"Client/{d.ClientId}",
            ClientId = d.ClientId,
            What = $"{d.Interaction} {d.ResourceType}{(d.ResourceId is null ? "" : "/" + d.ResourceId)}",
            PurposeOfUse = d.PurposeOfUse ?? "",
            BreakGlass = d.BreakGlass,
            BreakGlassReason = d.BreakGlassReason ?? "",
            Outcome = ToWire(d.Outcome),
            Explanation = deciding is not null
                ? $"denied by the {d.DecidingTerm} term: {deciding.Message}"
                : string.Join("; ", reasons.Select(r => r.Message)),
            DecisionId = d.DecisionId.ToString(),
            Cursor = CursorOf(stored),
            DecidingSource = DecidingSource(reasons),
        };
    }

    /// <summary>
    /// The source of the reason that decided: the denying one, else (a permit) the consent term's,
    /// which names the provision that permitted; empty when neither names a source.
    /// </summary>
    private static string DecidingSource(List<Reason> reasons) =>
        (reasons.FirstOrDefault(r => r.Outcome == Outcome.Deny)
            ?? reasons.FirstOrDefault(r => r.Term == Term.Consent && r.Source.Length > 0))?.Source ?? "";

    public static AdminChangeEntry ToWire(AdminChange change) => new()
    {
        Revision = change.Revision,
        ChangedAt = Timestamp.FromDateTimeOffset(change.ChangedAt),
        Actor = change.Actor,
        Operation = change.Operation,
        Target = change.Target,
        Reason = change.Reason,
        BeforeJson = change.BeforeJson ?? "",
        AfterJson = change.AfterJson ?? "",
        Cursor = change.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static long? RevisionCursor(string cursor) =>
        string.IsNullOrEmpty(cursor) ? null
        : long.TryParse(cursor, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision) ? revision
        : throw new RequestValidationException("cursor", $"'{cursor}' is not an admin change cursor (a revision)");

    public static string CursorOf(StoredDecision stored) => new AuditCursor(stored.Decision.DecidedAt, stored.Decision.DecisionId).ToString();

    private static Outcome ToWire(string outcome) => outcome == "permit" ? Outcome.Permit : Outcome.Deny;

    private static List<Reason> ReasonsOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(r => new Reason
        {
            Term = System.Enum.TryParse<Term>(r.GetProperty("term").GetString(), ignoreCase: true, out var term) ? term : Term.Unspecified,
            Outcome = ToWire(r.GetProperty("outcome").GetString() ?? "deny"),
            Code = r.GetProperty("code").GetString() ?? "",
            Message = r.GetProperty("message").GetString() ?? "",
            Source = r.GetProperty("source").GetString() ?? "",
        })];
    }

    private static AuditCursor? Cursor(string cursor)
    {
        try
        {
            return AuditCursor.Parse(cursor);
        }
        catch (FormatException e)
        {
            throw new RequestValidationException("cursor", e.Message);
        }
    }

    private static int Limit(int limit) =>
        limit >= 0 ? limit : throw new RequestValidationException("limit", $"must be 0 (all) or more, not {limit}");

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
