namespace PermissionLayer.Core.Scopes;

/// <summary>Why one scope did not permit a request (the first one becomes the deny reason).</summary>
internal sealed record ScopeFailure(string Code, string Message, string Scope);
