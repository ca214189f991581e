namespace PermissionLayer.Core.Consents;

/// <summary>A half-open interval [Start, End); either end may be open.</summary>
public sealed record ConsentPeriod(DateTimeOffset? Start, DateTimeOffset? End)
{
    public bool Covers(DateTimeOffset instant) => (Start is null || Start <= instant) && (End is null || instant < End);

    public override string ToString() => $"{Start?.ToString("O") ?? "…"} – {End?.ToString("O") ?? "…"}";
}
