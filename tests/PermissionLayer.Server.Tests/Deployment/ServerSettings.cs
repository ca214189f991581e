using System.Collections;
using System.Globalization;
using System.Reflection;
using PermissionLayer.Server.Hosting;

namespace PermissionLayer.Server.Tests.Deployment;

/// <summary>
/// The server's settings as the configuration binder sees them: every public read-write property
/// under <see cref="PermissionLayerOptions"/>, as <c>Section:Name</c>, with its default rendered as
/// the README writes it.
/// </summary>
internal static class ServerSettings
{
    public static IReadOnlyDictionary<string, Setting> All { get; } = Walk(typeof(PermissionLayerOptions), new PermissionLayerOptions(), "")
        .ToDictionary(s => s.Key, StringComparer.Ordinal);

    /// <summary>
    /// The setting an environment variable sets (<c>PermissionLayer__Audit__Mode</c> is
    /// <c>Audit:Mode</c>; a list element <c>…__FhirBaseUrls__0</c> is its list), or null.
    /// </summary>
    public static Setting? ForEnvironmentVariable(string name)
    {
        const string prefix = PermissionLayerOptions.Section + "__";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = name[prefix.Length..].Split("__");
        if (parts.Length > 1 && parts[^1].All(char.IsAsciiDigit) && All.TryGetValue(string.Join(':', parts[..^1]), out var list) && list.IsList)
        {
            return list;
        }
        return All.TryGetValue(string.Join(':', parts), out var setting) && !setting.IsList ? setting : null;
    }

    private static IEnumerable<Setting> Walk(Type type, object instance, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                continue; // computed (e.g. AuditOptions.ModeValue): not bound, not a setting
            }
            var key = prefix + property.Name;
            var value = property.GetValue(instance);
            var propertyType = property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                foreach (var nested in Walk(propertyType, value!, key + ":"))
                {
                    yield return nested;
                }
                continue;
            }
            var isList = propertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(propertyType);
            yield return new Setting(key, isList, Render(value));
        }
    }

    private static string Render(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        string s => s,
        IEnumerable e => string.Join(",", e.Cast<object>()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <param name="Key">As in configuration under <c>PermissionLayer</c>, e.g. <c>Audit:Mode</c>.</param>
/// <param name="Default">The default as text; empty when there is none.</param>
internal sealed record Setting(string Key, bool IsList, string Default);
