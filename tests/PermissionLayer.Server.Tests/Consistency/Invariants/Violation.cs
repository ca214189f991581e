using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// One broken invariant for one (token, patient) pair at one instant, before the case's changes (phase 0)
/// or after them (phase 1). <see cref="Cause"/> is a short hint (the deciding reason code, the label) that
/// tells failures of one invariant apart; a shrunk case must still show the same invariant, cause and patient.
/// </summary>
internal sealed record Violation(
    string Invariant, string Cause, int Token, string Patient, DateTimeOffset At, int Phase, string Expected, string Observed)
{
    public string Signature => $"{Invariant} [{Cause}]";

    public string Where => $"{(Token < 0 ? "any token" : $"token #{Token}")} × {Patient} at {CaseTime.Describe(At)}{(Phase == 0 ? "" : ", after the changes")}";

    public bool SameFailureAs(Violation other) =>
        Invariant == other.Invariant && Cause == other.Cause && Patient == other.Patient && Phase == other.Phase;
}
