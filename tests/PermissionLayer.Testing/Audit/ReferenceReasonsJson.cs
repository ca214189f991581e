using System.Text.Json;
using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Testing.Audit;

/// <summary>
/// The <c>reasons</c> column as it was first written: the serializer over an anonymous projection.
/// Existing rows are hash-chained over this text, so the production writer must keep producing it
/// byte for byte; the benchmarks compare against it too.
/// </summary>
public static class ReferenceReasonsJson
{
    public static string Of(IEnumerable<DecisionReason> reasons) => JsonSerializer.Serialize(reasons.Select(r => new
    {
        term = r.Term.ToString().ToLowerInvariant(),
        outcome = r.Outcome == Outcome.Permit ? "permit" : "deny",
        code = r.Code,
        message = r.Message,
        source = r.Source,
    }));
}
