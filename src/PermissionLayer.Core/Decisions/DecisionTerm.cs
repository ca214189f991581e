namespace PermissionLayer.Core.Decisions;

/// <summary>The terms whose intersection is the decision (DESIGN.md §1).</summary>
public enum DecisionTerm
{
    Scope,
    Client,
    User,
    Consent,
    Labels,
    Request,
}
