namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>Every invariant of the suite over the answers of one instant.</summary>
internal static class AllInvariants
{
    public static IReadOnlyList<Violation> Check(CaseContext c) =>
    [
        .. StreamAgreement.Check(c), .. ObligationAdmission.Check(c), .. WhoCanSeeAgreement.Check(c),
        .. PrivacyAttributeReach.Check(c), .. JoinableSets.Check(c), .. BatchAgreement.Check(c), .. DataVariants.Check(c),
        .. ResultAdmission.Check(c),
    ];
}
