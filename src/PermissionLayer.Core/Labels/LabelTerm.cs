using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Labels;

/// <summary>
/// The label term of a request that names its data. Labels are judged only when the request says it
/// sent all of them (<see cref="ResourceFacts.Complete"/>, always so for FHIR JSON): an empty or short
/// list that was merely not sent would read as "normal data" and clear R, V or HIV data by omission.
/// </summary>
public static class LabelTerm
{
    public static DecisionReason Evaluate(IReadOnlyList<ResourceFacts> states, Clearance clearance)
    {
        if (states.FirstOrDefault(s => !s.Complete) is not null)
        {
            return DecisionReason.Deny(DecisionTerm.Labels, "labels.unknown",
                "the request does not say that its facts list all of the data's security labels (facts.complete), so whether the data is within the user's clearance is unknown");
        }
        return LabelPolicy.Evaluate([.. states.SelectMany(s => s.Security).Distinct()], clearance);
    }
}
