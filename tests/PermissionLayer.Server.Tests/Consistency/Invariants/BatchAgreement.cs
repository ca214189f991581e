using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>(f) Check answers a request as CheckBatch did (outcome and reasons): the suite may ask through either.</summary>
internal static class BatchAgreement
{
    public const string SameAnswer = "f. Check and CheckBatch give the same outcome and reasons";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var (key, single) in c.Answers.Singles)
        {
            c.Premise(SameAnswer);
            var batched = c.Answers.Checks[key];
            if (single.ToString() != batched.ToString())
            {
                yield return c.Violation(SameAnswer, key.Probe.ToString(), key.Token, key.Patient ?? "-",
                    $"{key}: CheckBatch said {batched}", $"Check said {single}");
            }
        }
    }
}
