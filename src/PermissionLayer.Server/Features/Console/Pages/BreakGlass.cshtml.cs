using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Console.Pages;

/// <summary>
/// The break-the-glass review queue: unreviewed emergency accesses, oldest first, each with a form to
/// record a verdict and a note through AuditService.ReviewBreakGlass; and the reviews of the last week.
/// </summary>
[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme, Roles = CallerRoles.Auditor)]
public sealed class BreakGlassModel(ConsoleApi api, TimeProvider time) : ConsolePageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    /// <summary>
    /// Set when this request recorded a review (the page is rendered by the review's own POST): never
    /// read from the address, where a link could claim a review that never happened.
    /// </summary>
    public string? Reviewed { get; private set; }

    [BindProperty]
    public string DecisionId { get; set; } = "";

    [BindProperty]
    public string Verdict { get; set; } = "";

    [BindProperty]
    public string Note { get; set; } = "";

    public IReadOnlyList<DecisionRecord> Pending { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public IReadOnlyList<BreakGlassReview> Recent { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostReviewAsync()
    {
        var verdict = Verdict switch
        {
            "justified" => BreakGlassVerdict.Justified,
            "unjustified" => BreakGlassVerdict.Unjustified,
            _ => BreakGlassVerdict.Unspecified, // the API names the missing verdict
        };
        var review = await AskAsync(o => Api.Audit.ReviewBreakGlassAsync(
            new ReviewBreakGlassRequest { DecisionId = DecisionId, Verdict = verdict, Note = Note }, o).ResponseAsync);
        if (review is null)
        {
            await LoadAsync();
            return Page();
        }
        Reviewed = review.DecisionId;
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var refused = Error;
        var page = await PageAsync(o => Api.Audit.PendingBreakGlassReviews(
            new PendingBreakGlassQuery { Cursor = Cursor ?? "", Limit = PageSize + 1 }, o));
        if (page is not null)
        {
            Pending = page.Take(PageSize).ToList();
            NextCursor = page.Count > PageSize ? Pending[^1].Cursor : null;
        }
        var weekAgo = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time.GetUtcNow().AddDays(-7));
        Recent = await PageAsync(o => Api.Audit.QueryBreakGlassReviews(
            new BreakGlassReviewQuery { From = weekAgo, Limit = PageSize }, o)) ?? [];
        Error = refused ?? Error;
    }
}
