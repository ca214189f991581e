using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Features.Console.Pages;

/// <summary>
/// The access map for admins: a principal's grants, the groups and organizations they reach, their
/// care teams and organization roles (AdminService.DescribePrincipal); who can see a patient and
/// through which path (WhoCanSee); and changes (grant, revoke) through the same admin API, each with
/// the reason it records.
/// </summary>
[Authorize(AuthenticationSchemes = ConsoleAuthentication.Scheme, Roles = CallerRoles.Admin)]
public sealed class AccessModel(ConsoleApi api) : ConsolePageModel(api)
{
    [BindProperty(SupportsGet = true)] public string? Principal { get; set; }
    [BindProperty(SupportsGet = true)] public string? Patient { get; set; }
    /// <summary>What the last change did (post, redirect, get).</summary>
    /// <summary>What the last change did, carried across its redirect in TempData (never read from the address: a link could claim anything).</summary>
    [TempData] public string? Done { get; set; }

    [BindProperty] public string Target { get; set; } = "";
    [BindProperty] public string Actions { get; set; } = "rs";
    [BindProperty] public string ValidUntil { get; set; } = "";
    [BindProperty] public string GrantId { get; set; } = "";
    [BindProperty] public string Reason { get; set; } = "";

    public PrincipalDescription? Description { get; private set; }
    public IReadOnlyList<AccessPath> Paths { get; private set; } = [];

    /// <summary>The groups the principal's live grants reach (<c>Group/g</c>).</summary>
    public IEnumerable<string> Groups => LiveGrants.Select(g => g.Target).Where(t => t.StartsWith("Group/", StringComparison.Ordinal)).Distinct();

    /// <summary>The organizations reached by grants, and those of the principal's roles.</summary>
    public IEnumerable<string> Organizations => LiveGrants.Select(g => g.Target).Where(t => t.StartsWith("Organization/", StringComparison.Ordinal))
        .Concat(Description?.Roles.Where(r => r.Organization.Length > 0).Select(r => r.Organization) ?? []).Distinct();

    /// <summary>Patients named one by one by live grants; the patients of groups, organizations and care teams come on top.</summary>
    public int NamedPatients => LiveGrants.Select(g => g.Target).Where(t => t.StartsWith("Patient/", StringComparison.Ordinal)).Distinct().Count();

    /// <summary>Whether a grant reaches every patient (<c>*</c>).</summary>
    public bool ReachesAll => LiveGrants.Any(g => g.Target == "*");

    private IEnumerable<Grant> LiveGrants => Description?.Grants.Where(g => g.RevokedAt is null) ?? [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostGrantAsync()
    {
        DateTimeOffset? until;
        try
        {
            until = ParseTime(ValidUntil, "valid until");
        }
        catch (FormatException e)
        {
            Error = "InvalidArgument: " + e.Message;
            await LoadAsync();
            return Page();
        }
        var grant = new Grant { Principal = Principal ?? "", Target = Target, Actions = Actions, Reason = Reason };
        if (until is { } end)
        {
            grant.ValidUntil = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(end);
        }
        var created = await AskAsync(o => Api.Admin.CreateGrantAsync(new CreateGrantRequest { Grant = grant }, o).ResponseAsync);
        return await AfterChangeAsync(created is null ? null : $"Grant {created.Grant.Id} created at revision {created.Revision}.");
    }

    public async Task<IActionResult> OnPostRevokeAsync()
    {
        var revoked = await AskAsync(o => Api.Admin.RevokeGrantAsync(
            new RevokeGrantRequest { Principal = Principal ?? "", GrantId = GrantId, Reason = Reason }, o).ResponseAsync);
        return await AfterChangeAsync(revoked is null ? null : $"Grant {GrantId} revoked at revision {revoked.Revision}.");
    }

    private async Task<IActionResult> AfterChangeAsync(string? done)
    {
        if (done is null)
        {
            await LoadAsync();
            return Page();
        }
        Done = done;
        return LocalRedirect($"/console/access?principal={Uri.EscapeDataString(Principal ?? "")}");
    }

    private async Task LoadAsync()
    {
        var refused = Error;
        if (!string.IsNullOrEmpty(Principal))
        {
            Description = await AskAsync(o => Api.Admin.DescribePrincipalAsync(new DescribePrincipalRequest { Principal = Principal }, o).ResponseAsync);
        }
        if (!string.IsNullOrEmpty(Patient))
        {
            Paths = (await AskAsync(o => Api.Admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = Patient }, o).ResponseAsync))?.Paths.ToList() ?? [];
        }
        Error = refused ?? Error;
    }
}
