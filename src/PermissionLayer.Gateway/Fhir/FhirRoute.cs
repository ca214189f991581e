using System.Text.RegularExpressions;
using PermissionLayer.Fhir.Resources;

namespace PermissionLayer.Gateway.Fhir;

/// <summary>
/// A request path read as a FHIR interaction: <c>[type]/[id]/_history/[vid]</c> and the rest. A path
/// that is none of them is <see cref="RouteKind.Unknown"/> and is refused, never forwarded.
/// </summary>
public sealed partial record FhirRoute(RouteKind Kind, string ResourceType = "", string Id = "", string VersionId = "", string Operation = "")
{
    public static FhirRoute Parse(string method, string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.None);
        if (path.Trim('/').Length == 0)
        {
            segments = [];
        }
        if (segments.Any(s => s.Length == 0))
        {
            return new(RouteKind.Unknown);
        }
        return (method, segments) switch
        {
            ("POST", []) => new(RouteKind.Bundle),
            ("GET", []) => new(RouteKind.SearchSystem),
            ("GET", ["metadata"]) => new(RouteKind.Metadata),
            ("GET", [".well-known", "smart-configuration"]) => new(RouteKind.SmartConfiguration),
            ("GET", ["_history"]) => new(RouteKind.HistorySystem),
            (_, [var op]) when IsOperation(op) => new(RouteKind.Operation, "", "", "", op),
            (_, [var type, ..]) when !R4ResourceTypes.Instance.IsKnown(type) => new(RouteKind.Unknown),
            ("GET", [var type]) => new(RouteKind.SearchType, type),
            ("POST", [var type]) => new(RouteKind.Create, type),
            ("PUT" or "PATCH" or "DELETE", [var type]) => new(RouteKind.ConditionalWrite, type),
            ("POST", [var type, "_search"]) => new(RouteKind.SearchType, type),
            ("GET", [var type, "_history"]) => new(RouteKind.HistoryType, type),
            (_, [var type, var op]) when IsOperation(op) => new(RouteKind.Operation, type, "", "", op),
            ("GET", [var type, var id]) when IsId(id) => new(RouteKind.Read, type, id),
            ("PUT", [var type, var id]) when IsId(id) => new(RouteKind.Update, type, id),
            ("PATCH", [var type, var id]) when IsId(id) => new(RouteKind.Patch, type, id),
            ("DELETE", [var type, var id]) when IsId(id) => new(RouteKind.Delete, type, id),
            ("GET", [var type, var id, "_history"]) when IsId(id) => new(RouteKind.HistoryInstance, type, id),
            ("GET", [var type, var id, "_history", var vid]) when IsId(id) && IsId(vid) => new(RouteKind.VRead, type, id, vid),
            (_, [var type, var id, var op]) when IsId(id) && IsOperation(op) => new(RouteKind.Operation, type, id, "", op),
            _ => new(RouteKind.Unknown),
        };
    }

    /// <summary>FHIR id grammar: [A-Za-z0-9\-\.]{1,64}.</summary>
    public static bool IsId(string id) => IdPattern().IsMatch(id);

    private static bool IsOperation(string segment) => segment.Length > 1 && segment[0] == '$' && OperationPattern().IsMatch(segment[1..]);

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9\-_]{0,63}$")]
    private static partial Regex OperationPattern();
}
