using System.Collections.Concurrent;
using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Scopes;

/// <summary>
/// Parses granted scope strings (SMART App Launch 2.2, v1 and v2 syntax) into <see cref="ScopeSet"/>s.
/// The same token string arrives millions of times, so parsed sets are cached by exact text.
/// </summary>
public sealed class ScopeParser(IResourceTypeCatalog resourceTypes)
{
    private const int CacheLimit = 10_000;
    private static readonly HashSet<string> NonResourceScopes =
        new(StringComparer.Ordinal) { "openid", "fhirUser", "profile", "launch", "offline_access", "online_access" };
    private static readonly HashSet<string> SupportedParameters =
        new(StringComparer.Ordinal) { "category", "code", "_tag", "_security", "status" };

    private readonly ConcurrentDictionary<string, ScopeSet> _cache = new(StringComparer.Ordinal);

    /// <summary>Parses a scope string; throws <see cref="ScopeFormatException"/> naming the first malformed scope.</summary>
    public ScopeSet Parse(string? scopeString)
    {
        var text = scopeString ?? "";
        if (_cache.TryGetValue(text, out var cached))
        {
            return cached;
        }
        var parsed = ParseUncached(text);
        if (_cache.Count >= CacheLimit)
        {
            // Tokens are few in practice; a flood of distinct strings must not grow memory without bound.
            _cache.Clear();
        }
        _cache[text] = parsed;
        return parsed;
    }

    /// <summary>Parses without consulting or filling the cache (benchmarks measure both).</summary>
    public ScopeSet ParseUncached(string text)
    {
        var scopes = new List<ResourceScope>();
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ParseOne(token) is { } scope && !scopes.Contains(scope, ScopeTextComparer.Instance))
            {
                scopes.Add(scope);
            }
        }
        return new ScopeSet(text, scopes);
    }

    private ResourceScope? ParseOne(string token)
    {
        // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
        foreach (var c in token)
        {
            if (c is < '!' or '"' or '\\' or > '~')
            {
                throw new ScopeFormatException(token, $"character U+{(int)c:X4} is not allowed in a scope (RFC 6749 §3.3)");
            }
        }
        if (NonResourceScopes.Contains(token) || token.StartsWith("launch/", StringComparison.Ordinal)
            || token.StartsWith("__", StringComparison.Ordinal) || IsAbsoluteUri(token))
        {
            return null;
        }
        var slash = token.IndexOf('/');
        var context = slash < 0 ? (ScopeContext?)null : token[..slash] switch
        {
            "patient" => ScopeContext.Patient,
            "user" => ScopeContext.User,
            "system" => ScopeContext.System,
            _ => null,
        };
        if (context is null)
        {
            return null; // not a resource scope (e.g. a server-specific scope): grants no data access
        }
        var rest = token[(slash + 1)..];
        var question = rest.IndexOf('?');
        var resource = question < 0 ? rest : rest[..question];
        var dot = resource.IndexOf('.');
        if (dot <= 0)
        {
            throw new ScopeFormatException(token, "expected <context>/<ResourceType>.<permissions>");
        }
        var type = resource[..dot];
        if (type != ResourceScope.AnyType && !resourceTypes.IsKnown(type))
        {
            throw new ScopeFormatException(token, $"'{type}' is not a FHIR R4 resource type");
        }
        var (actions, _) = Permissions(token, resource[(dot + 1)..]);
        // v1 grammar has no query; servers in the field read `.read?x=y` as rs narrowed by x=y. A
        // constraint only narrows, so honouring it can never grant more than the bare v1 scope.
        var constraints = question < 0 ? [] : Constraints(token, rest[(question + 1)..]);
        return new ResourceScope(token, context.Value, type, actions, constraints);
    }

    private static (DataActions Actions, bool IsV1) Permissions(string token, string permissions) => permissions switch
    {
        // SMART v1 suffixes, mapped to v2 letters.
        "read" => (DataActions.Read | DataActions.Search, true),
        "write" => (DataActions.Create | DataActions.Update | DataActions.Delete, true),
        "*" => (DataActions.All, true),
        _ when ActionLetters.TryParse(permissions, out var letters) => (letters, false),
        _ => throw new ScopeFormatException(token,
            $"permissions '{permissions}' must be read, write or * (v1), or an in-order subset of c r u d s (v2)"),
    };

    private static IReadOnlyList<ScopeConstraint> Constraints(string token, string query)
    {
        var constraints = new List<ScopeConstraint>();
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new ScopeFormatException(token, $"constraint '{pair}' must be name=value");
            }
            var name = pair[..equals];
            if (name.Contains(':'))
            {
                throw new ScopeFormatException(token, $"search modifier in '{name}' is not supported (experimental in SMART 2.2)");
            }
            if (!SupportedParameters.Contains(name))
            {
                throw new ScopeFormatException(token,
                    $"parameter '{name}' is not supported (supported: {string.Join(", ", SupportedParameters)}); dropping it would widen access");
            }
            var values = pair[(equals + 1)..].Split(',');
            if (values.Any(v => v.Length == 0))
            {
                throw new ScopeFormatException(token, $"constraint '{pair}' has an empty value");
            }
            constraints.Add(new ScopeConstraint(name, values));
        }
        return constraints;
    }

    private static bool IsAbsoluteUri(string token)
    {
        var colon = token.IndexOf(':');
        return colon > 0 && token[..colon].All(c => char.IsAsciiLetter(c) || c is '+' or '-' or '.') && (token.IndexOf('/') is var s && (s < 0 || s > colon));
    }

    private sealed class ScopeTextComparer : IEqualityComparer<ResourceScope>
    {
        public static readonly ScopeTextComparer Instance = new();
        public bool Equals(ResourceScope? x, ResourceScope? y) => x?.Text == y?.Text;
        public int GetHashCode(ResourceScope obj) => obj.Text.GetHashCode(StringComparison.Ordinal);
    }
}
