using CsCheck;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Entitlements;

/// <summary>A grant's clearance, categories and break-the-glass count only for the patients it reaches.</summary>
public sealed class PrivacyProfileTests
{
    private const string Conf = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|";
    private const string Act = "http://terminology.hl7.org/CodeSystem/v3-ActCode|";

    private static Grant GrantTo(string target, string? clearance = null, string[]? categories = null, bool breakGlass = false) => new()
    {
        Id = Guid.NewGuid(), Principal = "Practitioner/x", Target = GrantTarget.Parse(target), Actions = DataActions.Read | DataActions.Search,
        Clearance = clearance, SensitivityCategories = categories ?? [], BreakGlass = breakGlass, Reason = "test", GrantedBy = "test",
    };

    [Fact]
    public void One_patient_takes_the_union_of_the_grants_that_reach_it()
    {
        var profile = PrivacyProfile.Of([GrantTo("Patient/a", "R"), GrantTo("Patient/a", categories: ["HIV"]), GrantTo("Patient/a", breakGlass: true)]);
        Assert.Equal("R", profile.Clearance.Ceiling);
        Assert.Equal(["HIV"], profile.Clearance.Categories);
        Assert.True(profile.MayBreakGlass);
        Assert.Equal(PrivacyProfile.Default.Clearance.Ceiling, PrivacyProfile.Of([]).Clearance.Ceiling);
    }

    [Fact]
    public void Data_of_several_patients_takes_what_all_of_them_share()
    {
        var a = PrivacyProfile.Of([GrantTo("Patient/a", "V", ["HIV", "PSY"], breakGlass: true)]);
        var b = PrivacyProfile.Of([GrantTo("Patient/b", "R", ["PSY"])]);
        var common = PrivacyProfile.Common([a, b], PrivacyProfile.Default);
        Assert.Equal("R", common.Clearance.Ceiling);
        Assert.Equal(["PSY"], common.Clearance.Categories);
        Assert.False(common.MayBreakGlass);
        Assert.Same(PrivacyProfile.Default, PrivacyProfile.Common([], PrivacyProfile.Default));
    }

    private static readonly string[] Patients = ["a", "b", "c"];

    private static readonly Gen<(string Target, Grant Grant)> GrantGen =
        from patient in Gen.OneOfConst(Patients)
        from clearance in Gen.OneOfConst<string?>(null, "N", "R", "V")
        from hiv in Gen.Bool
        from glass in Gen.Bool
        select (patient, GrantTo($"Patient/{patient}", clearance, hiv ? ["HIV"] : [], glass));

    private static readonly Gen<string[]> LabelsGen = Gen.OneOfConst<string[]>([], [Conf + "R"], [Conf + "V"], [Act + "HIV"], [Conf + "R", Act + "HIV"]);

    /// <summary>The label decision about a patient, from the grants that reach that patient.</summary>
    private static Outcome Decide(IEnumerable<(string Target, Grant Grant)> grants, string patient, string[] labels) =>
        LabelPolicy.Evaluate([.. labels.Select(Token.Parse)], PrivacyProfile.Of(grants.Where(g => g.Target == patient).Select(g => g.Grant)).Clearance).Outcome;

    [Fact]
    public void Privacy_attributes_of_a_grant_never_change_a_decision_about_a_patient_it_does_not_reach() =>
        Gen.Select(GrantGen.Array[0, 5], GrantGen, Gen.OneOfConst(Patients), LabelsGen).Sample((grants, extra, patient, labels) =>
        {
            if (extra.Target == patient)
            {
                return true;
            }
            return Decide(grants, patient, labels) == Decide([.. grants, extra], patient, labels);
        });
}
