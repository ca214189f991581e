using System.Collections.Immutable;
using PermissionLayer.Core.Consents;
using PermissionLayer.Grains.Abstractions.Consents;

namespace PermissionLayer.Grains.Consents;

/// <summary>A patient's consent activation's state: the patient's consents, compiled; and the consent term's question asked of them.</summary>
internal sealed record PatientConsentState(string PatientId, ImmutableList<CompiledConsent> Consents)
{
    public ConsentAnswer Decide(ConsentQuestion question, ConsentPolicyRule defaultRule)
    {
        var verdict = ConsentEvaluator.Evaluate(PatientId, Consents, question.ToRequest(), defaultRule);
        return new ConsentAnswer(verdict.Permitted, verdict.Reason.Code, verdict.Reason.Message, verdict.Reason.Source, verdict.ExcludedLabels);
    }
}
