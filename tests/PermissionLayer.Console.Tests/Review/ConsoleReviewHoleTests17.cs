using System.Net;
using System.Text.RegularExpressions;
using PermissionLayer.Server.Features.Console;

namespace PermissionLayer.Console.Tests.Review;

/// <summary>
/// Review round 17 (the console, the break-the-glass review API, telemetry): each test asserts the
/// safe answer to a request that got more than it should. Driven over plain HTTP (the console works
/// without scripts), with the antiforgery tokens its forms carry.
/// </summary>
public sealed partial class ConsoleReviewHoleTests17(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    /// <summary>A browser-like client: keeps cookies, does not follow redirects.</summary>
    private HttpClient NewClient(CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(fixture.BaseAddress) };

    private static async Task<string> TokenOfAsync(HttpClient http, string page)
    {
        var html = await http.GetStringAsync(page);
        return FormToken().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"no antiforgery token on {page}");
    }

    private static async Task SignInAsync(HttpClient http, string key)
    {
        var token = await TokenOfAsync(http, "/console/sign-in");
        var signedIn = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ApiKey"] = key, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    /// <summary>
    /// Sign-out only tells the browser to drop its cookie: the session is the encrypted cookie itself
    /// (the API key inside it), so a copy taken before sign-out (a shared machine, a proxy log, a
    /// stolen backup of the profile) keeps working after it, with its sliding 30 minutes renewed by
    /// each use, until the key itself is revoked. Signing out must end the session server-side.
    /// </summary>
    [Fact]
    public async Task A_session_cookie_replayed_after_sign_out_is_not_signed_in()
    {
        var cookies = new CookieContainer();
        using var http = NewClient(cookies);
        await SignInAsync(http, fixture.AuditorKey);
        var session = cookies.GetCookies(new Uri(fixture.BaseAddress + "/console"))[ConsoleAuthentication.CookieName];
        Assert.NotNull(session);
        var copied = session.Value;
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console/decisions")).StatusCode); // signed in

        var token = await TokenOfAsync(http, "/console");
        var signedOut = await http.PostAsync("/console/sign-out",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/console/decisions")).StatusCode); // this browser is signed out

        // The same cookie, replayed by whoever copied it.
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(fixture.BaseAddress) };
        replay.DefaultRequestHeaders.Add("Cookie", $"{ConsoleAuthentication.CookieName}={copied}");
        var replayed = await replay.GetAsync("/console/break-glass");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Contains("/console/sign-in", replayed.Headers.Location?.ToString() ?? "");
    }

    /// <summary>
    /// The notices "Review of decision … recorded" and an access-map change's "…revoked at revision …"
    /// are printed from the address (<c>?reviewed=</c>, <c>?done=</c>), not from what the server did:
    /// a link crafted by anyone shows a privacy officer a review that was never recorded, or an admin
    /// a revocation that never happened (while the grant stays live), in the console's own success box.
    /// </summary>
    [Fact]
    public async Task A_success_notice_is_shown_only_for_a_change_the_server_made()
    {
        var never = Guid.NewGuid().ToString();
        var cookies = new CookieContainer();
        using var http = NewClient(cookies);
        await SignInAsync(http, fixture.BothKey);

        var queue = await http.GetStringAsync($"/console/break-glass?reviewed={never}");
        Assert.DoesNotContain($"Review of decision {never} recorded", queue);

        const string claim = "Grant g-all revoked at revision 99. Nothing more to do.";
        var map = await http.GetStringAsync($"/console/access?principal=Practitioner/dr-console&done={Uri.EscapeDataString(claim)}");
        Assert.DoesNotContain(claim, map);
    }
}
