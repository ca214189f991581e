using System.Diagnostics.CodeAnalysis;

namespace PermissionLayer.Core.References;

/// <summary>A relative FHIR reference <c>Type/id</c>, as principals and grant targets are named.</summary>
public readonly record struct FhirReference(string Type, string Id)
{
    /// <summary>
    /// Parses <c>Type/id</c> where Type is a capitalised name and id follows FHIR's id rules
    /// (<c>[A-Za-z0-9\-\.]{1,64}</c>).
    /// </summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out FhirReference? reference)
    {
        reference = null;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        var slash = value.IndexOf('/');
        if (slash <= 0 || slash != value.LastIndexOf('/'))
        {
            return false;
        }
        var type = value[..slash];
        var id = value[(slash + 1)..];
        if (!IsTypeName(type) || !IsId(id))
        {
            return false;
        }
        reference = new FhirReference(type, id);
        return true;
    }

    public static bool IsId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');

    private static bool IsTypeName(string type) =>
        char.IsAsciiLetterUpper(type[0]) && type.All(char.IsAsciiLetterOrDigit);

    public override string ToString() => $"{Type}/{Id}";
}
