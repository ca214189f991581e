using PermissionLayer.Server.Tests.Consistency.Model;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (h) The same data written another way gets no more access (fail closed: a bare code may match a
/// provision coded with a system), and a label written in another valid system gets the canonical answer.
/// </summary>
internal static class DataVariants
{
    public const string NoMoreAccess = "h. data written another way never gets more access than written canonically";
    public const string SameAnswer = "h. a label written in another valid system gets the canonical answer";

    public static IEnumerable<Violation> Check(CaseContext c)
    {
        foreach (var token in c.Tokens)
        {
            foreach (var patient in c.Patients)
            {
                foreach (var variant in DataVariant.All)
                {
                    var written = c.Check(token, Probe.VariantRead, patient, variant.Name);
                    var canonical = variant.Canonical is null
                        ? c.Check(token, Probe.Read, patient)
                        : c.Check(token, Probe.LabelledRead, patient, variant.Canonical);
                    if (c.Premise(NoMoreAccess, written.Permitted) && !canonical.Permitted)
                    {
                        yield return c.Violation(NoMoreAccess, variant.Name, token, patient,
                            $"DENY, as written canonically: {canonical}", $"with {variant.Name}: {written}");
                    }
                    if (variant.Equivalent && c.Premise(SameAnswer, canonical.Permitted) && !written.Permitted)
                    {
                        yield return c.Violation(SameAnswer, variant.Name, token, patient,
                            $"PERMIT, as written canonically: {canonical}", $"with {variant.Name}: {written}");
                    }
                }
            }
        }
    }
}
