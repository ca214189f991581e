using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Console.Pages;

/// <summary>
/// Decision search: the filters of AuditService.QueryDecisions, a page at a time by its keyset
/// cursor (each page is one indexed, LIMITed query however deep), and an on-demand chain check.
/// </summary>
[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme, Roles = CallerRoles.Auditor)]
public sealed class DecisionsModel(ConsoleApi api) : ConsolePageModel(api)
{
    [BindProperty(SupportsGet = true)] public string? Patient { get; set; }
    [BindProperty(SupportsGet = true)] public string? FhirUser { get; set; }
    [BindProperty(SupportsGet = true)] public string? ClientId { get; set; }
    /// <summary>Empty (both), <c>permit</c> or <c>deny</c>.</summary>
    [BindProperty(SupportsGet = true)] public string? Outcome { get; set; }
    [BindProperty(SupportsGet = true)] public string? Purpose { get; set; }
    [BindProperty(SupportsGet = true)] public bool BreakGlassOnly { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }

    public IReadOnlyList<DecisionRecord> Decisions { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public VerifyChainResponse? Verification { get; private set; }

    public async Task OnGetAsync() => await SearchAsync();

    /// <summary>Walks every writer's hash chain (AuditService.VerifyChain): on demand, as it reads every row.</summary>
    public async Task OnPostVerifyAsync()
    {
        Verification = await AskAsync(o => Api.Audit.VerifyChainAsync(new VerifyChainRequest(), o).ResponseAsync);
        var refused = Error;
        await SearchAsync();
        Error = refused ?? Error;
    }

    private async Task SearchAsync()
    {
        DecisionQuery query;
        try
        {
            query = new DecisionQuery
            {
                Patient = Patient ?? "", FhirUser = FhirUser ?? "", ClientId = ClientId ?? "", PurposeOfUse = Purpose ?? "",
                Outcome = Outcome switch
                {
                    "permit" => Contracts.V1.Outcome.Permit,
                    "deny" => Contracts.V1.Outcome.Deny,
                    _ => Contracts.V1.Outcome.Unspecified,
                },
                BreakGlassOnly = BreakGlassOnly, Cursor = Cursor ?? "", Limit = PageSize + 1,
                From = ParseTime(From, "from") is { } from ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(from) : null,
                To = ParseTime(To, "to") is { } to ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(to) : null,
            };
        }
        catch (FormatException e)
        {
            Error = "InvalidArgument: " + e.Message;
            return;
        }
        var page = await PageAsync(o => Api.Audit.QueryDecisions(query, o));
        if (page is null)
        {
            return;
        }
        Decisions = page.Take(PageSize).ToList();
        NextCursor = page.Count > PageSize ? Decisions[^1].Cursor : null;
    }

    /// <summary>This search's address with another cursor: the filters are in the address, the key never is.</summary>
    public string NextPageUrl() => QueryHelpers(new Dictionary<string, string?>
    {
        ["patient"] = Patient, ["fhirUser"] = FhirUser, ["clientId"] = ClientId, ["outcome"] = Outcome, ["purpose"] = Purpose,
        ["breakGlassOnly"] = BreakGlassOnly ? "true" : null, ["from"] = From, ["to"] = To, ["cursor"] = NextCursor,
    });

    private static string QueryHelpers(Dictionary<string, string?> values) =>
        "/console/decisions?" + string.Join("&", values.Where(v => !string.IsNullOrEmpty(v.Value))
            .Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value!)}"));
}
