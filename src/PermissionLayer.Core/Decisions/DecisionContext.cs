using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// What a decision holds fixed besides its facts: the scope parser (the deployment's resource types),
/// the deployment's consent defaults, the instant it is evaluated at, and the entitlement revision it reports.
/// </summary>
public sealed record DecisionContext(ScopeParser Scopes, ConsentDefaults Defaults, DateTimeOffset At, long Revision);
