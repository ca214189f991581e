using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using PermissionLayer.Testing;

namespace PermissionLayer.Console.Tests;

/// <summary>
/// Debian's chromium, headless, driven by Debian's chromedriver (no driver or browser download:
/// Selenium Manager is never asked, the paths are given). One browser per test, so each test starts
/// signed out.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly string _baseAddress;

    public Browser(string baseAddress)
    {
        _baseAddress = baseAddress;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1100", "--lang=en-US");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
        Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(60);
    }

    public ChromeDriver Driver { get; }

    public string Url => Driver.Url;

    public string Text => Driver.FindElement(By.TagName("body")).Text;

    public void Go(string path) => Driver.Navigate().GoToUrl(_baseAddress + path);

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyCollection<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    public void SignIn(string apiKey)
    {
        Go("/console/sign-in");
        SignInHere(apiKey);
    }

    /// <summary>Signs in on the sign-in page the browser is on (keeping the page it was sent from).</summary>
    public void SignInHere(string apiKey)
    {
        Find("#api-key").SendKeys(apiKey);
        var button = Find("#sign-in");
        button.Click();
        // The click returns before the POST's answer: wait until that answer replaced this page, or the
        // next navigation can race the sign-in's own redirect.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                _ = button.Enabled;
            }
            catch (StaleElementReferenceException)
            {
                return;
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException("the sign-in form was not answered within 60 s");
    }

    /// <summary>Saves the page as .local/console-screenshots/NAME.png (CI keeps .local/ as artefacts).</summary>
    public string Screenshot(string name)
    {
        var folder = Path.Combine(RepositoryLayout.Root, ".local", "console-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>
    /// Runs axe-core (the script bundled in Deque.AxeCore.Commons) on the page and returns its
    /// violations as (rule, impact, help, nodes).
    /// </summary>
    public IReadOnlyList<AxeViolation> Axe()
    {
        Driver.ExecuteScript(AxeScript.Value);
        var json = (string?)Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) })))))
              .catch(e => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }])));
            """);
        return JsonSerializer.Deserialize<List<AxeViolation>>(json ?? "[{\"id\":\"axe-error\",\"impact\":\"critical\",\"help\":\"no result\",\"nodes\":[]}]", new JsonSerializerOptions { PropertyNameCaseInsensitive = true }) ?? [];
    }

    private static readonly Lazy<string> AxeScript = new(() => new Deque.AxeCore.Commons.BundledAxeScriptProvider().GetScript());

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}

public sealed record AxeViolation(string Id, string? Impact, string Help, List<string> Nodes)
{
    public override string ToString() => $"{Impact} {Id}: {Help} at {string.Join(" | ", Nodes)}";
}
