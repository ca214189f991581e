namespace PermissionLayer.Core.Obligations;

/// <summary>
/// The obligation's answer for one result: <see cref="Outcome"/>, and for a deny or a needed check a
/// code and a message that say which part of the obligation decided (safe to log; no label or consent is named).
/// </summary>
public sealed record Admission(AdmissionOutcome Outcome, string Code, string Message)
{
    public static readonly Admission Admitted = new(AdmissionOutcome.Admit, "result.admitted", "the result satisfies every part of the obligation");

    public static Admission Deny(string code, string message) => new(AdmissionOutcome.Deny, code, message);

    public static Admission Check(string code, string message) => new(AdmissionOutcome.NeedsCheck, code, message);
}
