using System.Security.Cryptography;

namespace PermissionLayer.Gateway.Configuration;

/// <summary>
/// Every setting of the gateway, read from the <c>Gateway</c> section and validated at start: a
/// gateway that would run with a missing upstream, decision service or issuer fails before it takes
/// a request, with a message naming the key.
/// </summary>
public sealed record GatewaySettings(
    Uri UpstreamBaseUrl,
    Uri? PublicBaseUrl,
    Uri DecisionServiceAddress,
    string? DecisionServiceApiKey,
    TokenSettings Tokens,
    bool DeniedReadsAsNotFound,
    int MaxUpstreamUrlLength,
    int PageSize,
    int MaxPageSize,
    int MaxUpstreamPagesPerPage,
    int MaxBatchEntries,
    IReadOnlySet<string> SecurityLabelSystems,
    TimeSpan UpstreamTimeout,
    TimeSpan DecisionDeadline,
    byte[] CursorKey)
{
    public const string Section = "Gateway";

    /// <summary>The label systems of current HL7 terminology: what a FHIR server's data usually carries.</summary>
    public const string DefaultLabelSystems =
        "http://terminology.hl7.org/CodeSystem/v3-ActCode,http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    public static GatewaySettings Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var section = configuration.GetSection(Section);
        var upstream = AbsoluteUrl(section, "Upstream:BaseUrl", required: true, problems);
        var publicBase = AbsoluteUrl(section, "PublicBaseUrl", required: false, problems);
        var decisions = AbsoluteUrl(section, "DecisionService:Address", required: true, problems);
        var apiKey = section["DecisionService:ApiKey"];
        if (apiKey is { } key && (key.Length == 0 || key.Any(char.IsWhiteSpace)))
        {
            problems.Add($"{Section}:DecisionService:ApiKey must be a key without whitespace (role pep)");
        }
        var issuer = section["Tokens:Issuer"];
        if (string.IsNullOrWhiteSpace(issuer))
        {
            problems.Add($"{Section}:Tokens:Issuer is required: the authorization server whose tokens are accepted");
        }
        var audiences = (section["Tokens:Audience"] ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (audiences.Length == 0)
        {
            problems.Add($"{Section}:Tokens:Audience is required: the aud value tokens must carry (this gateway's FHIR base URL)");
        }
        var jwks = AbsoluteUrl(section, "Tokens:JwksUrl", required: false, problems);
        var purposeClaim = section["Tokens:PurposeOfUseClaim"] ?? "purpose_of_use";
        var skew = Integer(section, "Tokens:ClockSkewSeconds", 30, 0, 600, problems);
        var refetch = Integer(section, "Tokens:JwksRefetchIntervalSeconds", 10, 0, 3600, problems);
        var introspectionUrl = AbsoluteUrl(section, "Tokens:Introspection:Url", required: false, problems);
        IntrospectionSettings? introspection = null;
        if (introspectionUrl is not null)
        {
            var clientId = section["Tokens:Introspection:ClientId"];
            var secret = section["Tokens:Introspection:ClientSecret"];
            if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
            {
                problems.Add($"{Section}:Tokens:Introspection:ClientId and {Section}:Tokens:Introspection:ClientSecret are required with {Section}:Tokens:Introspection:Url");
            }
            else
            {
                introspection = new IntrospectionSettings(introspectionUrl, clientId, secret);
            }
        }
        var deniedAs404 = Boolean(section, "Reads:DeniedAsNotFound", false, problems);
        var maxUrl = Integer(section, "Search:MaxUpstreamUrlLength", 8000, 512, 1_000_000, problems);
        var pageSize = Integer(section, "Search:PageSize", 20, 1, 1000, problems);
        var maxPageSize = Integer(section, "Search:MaxPageSize", 200, 1, 1000, problems);
        if (pageSize > maxPageSize)
        {
            problems.Add($"{Section}:Search:PageSize must not exceed {Section}:Search:MaxPageSize");
        }
        var refills = Integer(section, "Search:MaxUpstreamPagesPerPage", 5, 1, 100, problems);
        var batch = Integer(section, "Decisions:MaxBatchEntries", 500, 1, 10_000, problems);
        var labelSystems = (section["Search:SecurityLabelSystems"] ?? DefaultLabelSystems)
            .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var timeout = Integer(section, "Upstream:TimeoutSeconds", 30, 1, 600, problems);
        var deadline = Integer(section, "DecisionService:DeadlineSeconds", 2, 1, 300, problems);
        var cursorKey = LoadCursorKey(section, problems);
        if (problems.Count > 0)
        {
            throw new GatewayConfigurationException(problems);
        }
        return new GatewaySettings(
            WithTrailingSlash(upstream!), publicBase is null ? null : WithTrailingSlash(publicBase), decisions!, apiKey,
            new TokenSettings(issuer!, audiences, jwks, purposeClaim, TimeSpan.FromSeconds(skew), TimeSpan.FromSeconds(refetch), introspection),
            deniedAs404, maxUrl, pageSize, maxPageSize, refills, batch, labelSystems, TimeSpan.FromSeconds(timeout), TimeSpan.FromSeconds(deadline), cursorKey);
    }

    /// <summary>
    /// Paging cursors are signed so a client cannot aim the gateway at an upstream URL of its own
    /// choosing. Several gateway instances behind one address must share the key; one instance may
    /// draw its own at start (cursors then end with the process).
    /// </summary>
    private static byte[] LoadCursorKey(IConfigurationSection section, List<string> problems)
    {
        var text = section["Search:CursorKey"];
        if (text is null)
        {
            return RandomNumberGenerator.GetBytes(32);
        }
        try
        {
            var key = Convert.FromBase64String(text);
            if (key.Length >= 32)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }
        problems.Add($"{Section}:Search:CursorKey must be base64 of at least 32 bytes");
        return [];
    }

    private static Uri? AbsoluteUrl(IConfigurationSection section, string key, bool required, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                problems.Add($"{Section}:{key} is required");
            }
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problems.Add($"{Section}:{key} must be an absolute http:// or https:// URL without query or fragment (was '{text}')");
            return null;
        }
        return uri;
    }

    private static int Integer(IConfigurationSection section, string key, int fallback, int min, int max, List<string> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            problems.Add($"{Section}:{key} must be a whole number from {min} to {max} (was '{text}')");
            return fallback;
        }
        return value;
    }

    private static bool Boolean(IConfigurationSection section, string key, bool fallback, List<string> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }
        if (!bool.TryParse(text, out var value))
        {
            problems.Add($"{Section}:{key} must be true or false (was '{text}')");
            return fallback;
        }
        return value;
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
}
