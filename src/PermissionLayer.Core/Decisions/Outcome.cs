namespace PermissionLayer.Core.Decisions;

public enum Outcome
{
    Permit,
    Deny,
}
