using PermissionLayer.Core.Decisions;

namespace PermissionLayer.Server.Features.Audit;

/// <summary>
/// How the audit log names a decision term: the enum name in lower case. Looked up rather than
/// formatted, since every decision names several terms.
/// </summary>
internal static class AuditTermNames
{
    public static string Of(DecisionTerm term) => term switch
    {
        DecisionTerm.Scope => "scope",
        DecisionTerm.Client => "client",
        DecisionTerm.User => "user",
        DecisionTerm.Consent => "consent",
        DecisionTerm.Labels => "labels",
        DecisionTerm.Request => "request",
        _ => term.ToString().ToLowerInvariant(),
    };
}
