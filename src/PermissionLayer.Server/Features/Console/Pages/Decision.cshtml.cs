using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Storage.ApiKeys;


namespace PermissionLayer.Server.Features.Console.Pages;

/// <summary>
/// One decision in full: every recorded field, each term's reason with its source (the consent
/// provision), its place in its writer's hash chain and that chain's verification on demand, and for
/// break-the-glass its review. Addressed by its cursor (time and id), the key decision_time indexes.
/// </summary>
[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme, Roles = CallerRoles.Auditor)]
public sealed class DecisionModel(ConsoleApi api) : ConsolePageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public string Key { get; set; } = "";

    public DecisionRecord? Decision { get; private set; }
    public BreakGlassReview? Review { get; private set; }
    public WriterChainVerdict? ChainVerdict { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Decision is null && Error is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync()
    {
        await LoadAsync();
        if (Decision is not null)
        {
            var response = await AskAsync(o => Api.Audit.VerifyChainAsync(new VerifyChainRequest { WriterId = Decision.WriterId }, o).ResponseAsync);
            ChainVerdict = response?.Chains.FirstOrDefault();
        }
        return Decision is null && Error is null ? NotFound() : Page();
    }

    private async Task LoadAsync()
    {
        Storage.Audit.AuditCursor? key;
        try
        {
            key = Storage.Audit.AuditCursor.Parse(Key);
        }
        catch (FormatException e)
        {
            Error = "InvalidArgument: " + e.Message;
            return;
        }
        if (key is null)
        {
            return;
        }
        // The decisions of that microsecond (the log's precision), then the one with the id.
        var at = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(key.Time);
        var until = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(key.Time.AddTicks(10));
        var same = await PageAsync(o => Api.Audit.QueryDecisions(new DecisionQuery { From = at, To = until }, o));
        Decision = same?.FirstOrDefault(d => d.DecisionId == key.Id.ToString());
        if (Decision is { BreakGlass: true })
        {
            Review = (await PageAsync(o => Api.Audit.QueryBreakGlassReviews(new BreakGlassReviewQuery { DecisionId = Decision.DecisionId }, o)))?.FirstOrDefault();
        }
    }
}
