using System.Net;
using Grpc.Core;
using Hl7.Fhir.Serialization;
using OpenQA.Selenium;
using PermissionLayer.Contracts.V1;
using AuditEvent = Hl7.Fhir.Model.AuditEvent;

namespace PermissionLayer.Console.Tests;

/// <summary>The console in headless chromium against a real in-process server: sign-in, each page, roles, a review round trip.</summary>
public sealed class ConsoleTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public void An_auditor_signs_in_sees_the_audit_pages_and_cannot_reach_the_access_map()
    {
        using var browser = fixture.NewBrowser();
        browser.Go("/console/patients");
        Assert.Contains("/console/sign-in", browser.Url); // not signed in: sent to sign-in
        browser.SignInHere(fixture.AuditorKey);
        Assert.EndsWith("/console/patients", browser.Url); // back where it was going
        browser.Go("/console");
        browser.Screenshot("index-auditor");
        Assert.Contains("Signed in as console-auditor", browser.Text);
        Assert.NotEmpty(browser.FindAll("a[href='/console/break-glass']"));
        Assert.Empty(browser.FindAll("a[href='/console/access']"));
        Assert.DoesNotContain(fixture.AuditorKey, browser.Url);

        var cookie = browser.Driver.Manage().Cookies.GetCookieNamed("pl_console");
        Assert.NotNull(cookie);
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Strict", cookie.SameSite);
        Assert.DoesNotContain(fixture.AuditorKey, cookie.Value); // encrypted, not the key

        browser.Go("/console/access?principal=Practitioner/dr-console");
        Assert.Contains("/console/forbidden", browser.Url);
        Assert.Contains("do not include this page", browser.Text);
        Assert.Empty(browser.FindAll("#grants"));
        browser.Screenshot("forbidden");
    }

    [Fact]
    public void A_pep_key_or_an_unknown_key_cannot_sign_in()
    {
        using var browser = fixture.NewBrowser();
        browser.SignIn(fixture.PepKey);
        Assert.Contains("no console role", browser.Find("#sign-in-error").Text);
        browser.Screenshot("sign-in-refused");
        browser.Go("/console/patients?patient=cp-1");
        Assert.Contains("/console/sign-in", browser.Url);
        Assert.Empty(browser.FindAll("#accesses"));

        browser.SignIn("plk_nosuchkey_" + new string('a', 43));
        Assert.Contains("Unknown, malformed or revoked", browser.Find("#sign-in-error").Text);
        browser.Go("/console/decisions");
        Assert.Contains("/console/sign-in", browser.Url);
    }

    [Fact]
    public void An_admin_cannot_reach_the_audit_pages()
    {
        using var browser = fixture.NewBrowser();
        browser.SignIn(fixture.AdminKey);
        foreach (var page in new[] { "/console/patients?patient=cp-1", "/console/break-glass", "/console/decisions" })
        {
            browser.Go(page);
            Assert.Contains("/console/forbidden", browser.Url);
        }
    }

    [Fact]
    public async Task Patient_access_shows_who_accessed_the_record_with_a_chart_and_exports()
    {
        using var browser = fixture.NewBrowser();
        browser.SignIn(fixture.AuditorKey);
        browser.Go("/console/patients?patient=cp-1");
        browser.Screenshot("patient-access");
        var rows = browser.FindAll("#accesses tbody tr");
        Assert.Equal(2, rows.Count); // the TREAT read and the break-the-glass read of cp-1
        Assert.All(rows, r => Assert.Contains(ConsoleFixture.Doctor, r.Text));
        Assert.Contains("TREAT", rows.First().Text);
        Assert.Contains("break-the-glass: unconscious in the emergency department", rows.Last().Text);
        Assert.Contains(ConsoleFixture.Client, rows.First().Text);
        var chartTitle = browser.Find("figure svg title").GetAttribute("textContent");
        Assert.Contains("2 in all", chartTitle);

        // The exports, with the browser's session cookie (the key is in no address).
        var cookie = browser.Driver.Manage().Cookies.GetCookieNamed("pl_console");
        Assert.NotNull(cookie);
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(fixture.BaseAddress) };
        http.DefaultRequestHeaders.Add("Cookie", $"pl_console={cookie.Value}");
        var ndjson = await http.GetStringAsync(browser.Find("#export-ndjson").GetAttribute("href"));
        var events = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Assert.IsType<AuditEvent>(new FhirJsonDeserializer().DeserializeResource(line))).ToList();
        Assert.Equal([fixture.PermitId, fixture.BreakGlassId], events.Select(e => e.Id));
        var csv = (await http.GetStringAsync(browser.Find("#export-csv").GetAttribute("href"))).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("decided_at,who,client_id", csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.Contains(fixture.BreakGlassId, csv[2]);

        // Without the session the export is not given.
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(fixture.BaseAddress) };
        var refused = await anonymous.GetAsync("/console/patients?handler=Ndjson&patient=cp-1");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/console/sign-in", refused.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_break_glass_review_made_in_the_browser_is_recorded_and_visible_through_the_api()
    {
        using var browser = fixture.NewBrowser();
        browser.SignIn(fixture.AuditorKey);
        browser.Go("/console/break-glass");
        browser.Screenshot("break-glass-queue");
        var section = browser.Find($"section[aria-labelledby='bg-{fixture.BreakGlassId}']");
        Assert.Contains("unconscious in the emergency department", section.Text);
        section.FindElement(By.CssSelector("input[value='unjustified']")).Click();
        section.FindElement(By.CssSelector("textarea")).SendKeys("no emergency recorded in the chart");
        section.FindElement(By.CssSelector("button[type='submit']")).Click();
        Assert.Contains($"Review of decision {fixture.BreakGlassId} recorded", browser.Find("#review-recorded").Text);
        Assert.Empty(browser.FindAll($"section[aria-labelledby='bg-{fixture.BreakGlassId}']"));
        Assert.Contains("no emergency recorded in the chart", browser.Find("#reviews").Text);
        browser.Screenshot("break-glass-reviewed");

        var review = Assert.Single(await ConsoleFixture.ReadAllAsync(
            fixture.Audit.QueryBreakGlassReviews(new BreakGlassReviewQuery { DecisionId = fixture.BreakGlassId })));
        Assert.Equal(BreakGlassVerdict.Unjustified, review.Verdict);
        Assert.Equal("no emergency recorded in the chart", review.Note);
        Assert.StartsWith("key:console-auditor/", review.Reviewer);
        var pending = await ConsoleFixture.ReadAllAsync(fixture.Audit.PendingBreakGlassReviews(new PendingBreakGlassQuery()));
        Assert.DoesNotContain(pending, d => d.DecisionId == fixture.BreakGlassId);

        // The decision's page shows the review.
        browser.Go("/console/decisions?breakGlassOnly=true");
        browser.Find("#decisions tbody tr a").Click();
        Assert.Contains("Not justified, by key:console-auditor/", browser.Find("#review").Text);
    }

    [Fact]
    public void Decision_search_pages_by_cursor_and_explains_a_decision_with_its_chain_status()
    {
        using var browser = fixture.NewBrowser();
        browser.SignIn(fixture.AuditorKey);
        browser.Go("/console/decisions?fhirUser=" + Uri.EscapeDataString(ConsoleFixture.Pager));
        browser.Screenshot("decision-search");
        Assert.Equal(50, browser.FindAll("#decisions tbody tr").Count);
        browser.Find("#next-page").Click();
        Assert.Equal(ConsoleFixture.PagerDecisions - 50, browser.FindAll("#decisions tbody tr").Count);
        Assert.Empty(browser.FindAll("#next-page"));
        Assert.Contains("fhirUser=", browser.Url); // the filters carry over to the next page

        browser.Find("#verify-chains").Click();
        Assert.Equal("Every chain is intact.", browser.Find("#chain-status").Text);

        browser.Go("/console/decisions?outcome=deny&fhirUser=" + Uri.EscapeDataString(ConsoleFixture.Doctor));
        var deny = Assert.Single(browser.FindAll("#decisions tbody tr"));
        deny.FindElement(By.TagName("a")).Click();
        browser.Screenshot("decision");
        Assert.Contains(fixture.DenyId, browser.Find("h1").Text);
        Assert.Contains("deny", browser.Find("#decision-outcome").Text);
        Assert.Contains("user.no-grant", browser.Find("#reasons").Text);
        browser.Find("#verify-writer").Click();
        Assert.StartsWith("Intact:", browser.Find("#chain-status").Text);
    }

    [Fact]
    public async Task The_access_map_shows_entitlements_and_who_can_see_and_changes_them_through_the_admin_api_with_a_reason()
    {
        using var browser = fixture.NewBrowser();
        browser.SignIn(fixture.AdminKey);
        browser.Go("/console/access?principal=" + Uri.EscapeDataString(ConsoleFixture.Doctor));
        Assert.Contains("Patient/cp-1", browser.Find("#grants").Text);
        Assert.Contains("Patients named by grants: 1", browser.Find("#summary").Text);
        browser.Find("#grant-target").SendKeys("Patient/cp-9");
        browser.Find("#grant-reason").SendKeys("covering the night shift");
        browser.Find("#grant-form button[type='submit']").Click();
        Assert.Contains("created at revision", browser.Find("#change-done").Text);
        Assert.Contains("Patient/cp-9", browser.Find("#grants").Text);
        browser.Screenshot("access-map");

        var grants = await fixture.Admin.ListGrantsAsync(new ListGrantsRequest { Principal = ConsoleFixture.Doctor });
        var created = Assert.Single(grants.Grants, g => g.Target == "Patient/cp-9");
        Assert.Equal("covering the night shift", created.Reason);
        var changes = await ConsoleFixture.ReadAllAsync(fixture.Audit.QueryAdminChanges(new AdminChangeQuery { Target = ConsoleFixture.Doctor, Operation = "grant.created" }));
        Assert.Contains(changes, c => c.Actor.StartsWith("key:console-admin/", StringComparison.Ordinal) && c.Reason == "covering the night shift");

        browser.Find("#who-patient").SendKeys("cp-9");
        browser.Find("#who-patient").Submit();
        Assert.Contains(ConsoleFixture.Doctor, browser.Find("#who-can-see").Text);
        browser.Screenshot("who-can-see");

        // A change without a reason is refused by the admin API, and nothing is written.
        browser.Go("/console/access?principal=" + Uri.EscapeDataString(ConsoleFixture.Doctor));
        var revoke = browser.FindAll("#grants form").First(f => f.Text.Length >= 0 && f.FindElement(By.CssSelector("input[name='GrantId']")).GetAttribute("value") == created.Id);
        revoke.FindElement(By.CssSelector("input[name='Reason']")).SendKeys("shift over");
        revoke.FindElement(By.CssSelector("button")).Click();
        Assert.Contains($"Grant {created.Id} revoked", browser.Find("#change-done").Text);
        var after = await fixture.Admin.ListGrantsAsync(new ListGrantsRequest { Principal = ConsoleFixture.Doctor });
        Assert.NotNull(Assert.Single(after.Grants, g => g.Id == created.Id).RevokedAt);
    }

    [Fact]
    public async Task Every_page_passes_axe_with_no_serious_or_critical_violation()
    {
        using var browser = fixture.NewBrowser();
        browser.Go("/console/sign-in");
        var problems = browser.Axe().Where(Serious).Select(v => $"sign-in: {v}").ToList();
        browser.SignIn(fixture.BothKey);
        var decision = (await ConsoleFixture.ReadAllAsync(fixture.Audit.QueryDecisions(new DecisionQuery { Patient = "cp-2" }))).Single();
        foreach (var (name, page) in new[]
        {
            ("index", "/console"), ("patient-access-axe", "/console/patients?patient=cp-1"), ("break-glass-axe", "/console/break-glass"),
            ("decision-search-axe", "/console/decisions"), ("decision-axe", "/console/decisions/" + decision.Cursor),
            ("access-map-axe", "/console/access?principal=" + Uri.EscapeDataString(ConsoleFixture.Doctor) + "&patient=cp-1"),
        })
        {
            browser.Go(page);
            browser.Screenshot(name);
            problems.AddRange(browser.Axe().Where(Serious).Select(v => $"{name}: {v}"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static bool Serious(AxeViolation v) => v.Impact is "serious" or "critical";
}
