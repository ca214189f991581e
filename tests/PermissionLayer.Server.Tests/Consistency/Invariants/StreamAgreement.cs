using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (a) Check of a search naming the patient permits ⇔ the patient is in StreamAccessiblePatients for
/// the same token, interaction and type, after the consent screen. Two documented exceptions to the
/// ⇒ direction only: break-the-glass lifts a named patient's consent but never a population screen
/// (README: "Break-the-glass does not lift it"), and a sensitivity-label provision leaves the patient
/// out of population screens while a named search only excludes the label (README, Limits).
/// </summary>
internal static class StreamAgreement
{
    public const string CheckImpliesStream = "a. Check(search naming p) permits ⇒ p is in StreamAccessiblePatients";
    public const string StreamImpliesCheck = "a. p is in StreamAccessiblePatients ⇒ Check(search naming p) permits";
    public const string StreamCompletes = "a. StreamAccessiblePatients ends with a complete page";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var token in c.Tokens)
        {
            var stream = c.Answers.Streams[token];
            if (!stream.Complete)
            {
                yield return c.Violation(StreamCompletes, "incomplete", token, "-", "complete = true on the last page", stream.ToString());
            }
            var accessible = c.StreamAccessible(token);
            foreach (var patient in c.Patients)
            {
                var named = c.Check(token, Probe.NamedSearch, patient);
                if (c.Premise(CheckImpliesStream, named.Permitted) && !accessible.Contains(patient)
                    && named.Response!.BreakGlassObligation is not { Lifted.Count: > 0 }
                    && !c.Model.HasSensitivityLabelProvision(patient, c.At))
                {
                    yield return c.Violation(CheckImpliesStream, "stream leaves the patient out", token, patient,
                        $"{patient} among the stream's patients", $"Check: {named}; {stream}");
                }
                if (c.Premise(StreamImpliesCheck, accessible.Contains(patient)) && !named.Permitted)
                {
                    yield return c.Violation(StreamImpliesCheck, $"Check denies by {named.Decider}", token, patient,
                        $"Check permits, or {patient} absent from the stream", $"Check: {named}; {stream}");
                }
            }
        }
    }
}
