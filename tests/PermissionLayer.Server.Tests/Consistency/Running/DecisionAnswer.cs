using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>One decision as the server gave it, or the error a batch entry got (which counts as a deny).</summary>
internal sealed record DecisionAnswer(CheckResponse? Response, string? Error)
{
    public bool Permitted => Response?.Outcome == Outcome.Permit;

    public bool BreakGlass => Response?.BreakGlass == true;

    /// <summary>The code that decided a deny ("error" for an entry error), or "permit".</summary>
    public string Decider => Error is not null ? "error"
        : Permitted ? "permit"
        : Response!.Reasons.FirstOrDefault(r => r.Outcome == Outcome.Deny)?.Code ?? "deny-without-reason";

    public override string ToString() => Error is not null
        ? $"ERROR {Error}"
        : $"{(Permitted ? "PERMIT" : "DENY")}{(BreakGlass ? " (break-glass)" : "")}: " +
          string.Join("; ", Response!.Reasons.Select(r => $"{r.Term}/{r.Code}={(r.Outcome == Outcome.Permit ? "permit" : "deny")}"));
}
