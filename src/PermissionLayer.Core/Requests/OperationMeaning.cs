using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Requests;

/// <summary>
/// Operations are checked as what they do, not as a plain read of their target: <c>$everything</c>
/// and <c>$export</c> return every type of data of one or many patients, so they are searches of all
/// types in those patients' compartments (with the obligation that implies); <c>$validate</c> sends a
/// resource, so it is checked as creating it. Any other operation is denied: what it reads or
/// writes is unknown here.
/// </summary>
public static class OperationMeaning
{
    /// <summary>The request to decide in place of the operation, or the reason it is denied.</summary>
    public static (DecisionRequest? Meaning, DecisionReason? Unsupported) Resolve(DecisionRequest request)
    {
        var name = request.Operation!;
        var level = request.ResourceType == ResourceScope.AnyType ? "system" : request.ResourceId is null ? "type" : "instance";
        DecisionRequest? meaning = (name, request.ResourceType, level) switch
        {
            ("$everything", "Patient", "instance") => AllTypesSearch(request, $"patient={request.ResourceId}"),
            ("$everything", "Patient", "type") => AllTypesSearch(request, null),
            ("$export", ResourceScope.AnyType, "system") => AllTypesSearch(request, null),
            ("$export", "Patient", "type") => AllTypesSearch(request, null),
            ("$export", "Group", "instance") => AllTypesSearch(request, null) with { WithinGroup = request.ResourceId },
            ("$validate", _, "type" or "instance") => request with
            {
                Interaction = Interaction.Create, Operation = null, Stored = null, ResourceId = null,
            },
            _ => null,
        };
        return meaning is null
            ? (null, DecisionReason.Deny(DecisionTerm.Request, "operation.unsupported",
                $"the operation {Quote.Short(name)} at {level} level{(level == "system" ? "" : $" on {request.ResourceType}")} is not one this service can check (supported: $everything, $export, $validate), so it is denied"))
            : (meaning, null);
    }

    private static DecisionRequest AllTypesSearch(DecisionRequest request, string? query) => request with
    {
        Interaction = Interaction.SearchSystem,
        ResourceType = ResourceScope.AnyType,
        ResourceId = null,
        Operation = null,
        Stored = null,
        Proposed = null,
        Query = query,
    };
}
