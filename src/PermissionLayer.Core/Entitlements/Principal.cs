using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// Who holds entitlements: a user (<c>Practitioner/x</c>, <c>Patient/x</c>, <c>RelatedPerson/x</c>,
/// <c>Person/x</c>) or a client application (<c>Client/&lt;client_id&gt;</c>).
/// </summary>
public static class Principal
{
    public static readonly IReadOnlySet<string> Types =
        new HashSet<string>(StringComparer.Ordinal) { "Practitioner", "Patient", "RelatedPerson", "Person", "Client" };

    /// <summary>Validates a principal string, returning an error message naming the problem, or null.</summary>
    public static string? Validate(string? principal)
    {
        if (principal is not null && principal.StartsWith(ClientPrefix, StringComparison.Ordinal))
        {
            return IsClientId(principal[ClientPrefix.Length..])
                ? null
                : $"client id in '{principal}' must be 1-128 visible ASCII characters without '/'";
        }
        if (!FhirReference.TryParse(principal, out var reference))
        {
            return $"principal '{principal}' is not of the form Type/id";
        }
        return Types.Contains(reference.Value.Type)
            ? null
            : $"principal type '{reference.Value.Type}' is not one of {string.Join(", ", Types)}";
    }

    private const string ClientPrefix = "Client/";

    public static string ForClient(string clientId) => PrincipalRef.ForClient(clientId).ToString();

    /// <summary>OAuth client ids are not FHIR ids: any visible ASCII but '/', up to 128 characters.</summary>
    public static bool IsClientId(string clientId) =>
        clientId.Length is > 0 and <= 128 && clientId.All(c => c is > ' ' and <= '~' and not '/');
}
