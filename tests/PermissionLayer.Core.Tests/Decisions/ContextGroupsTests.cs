using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Decisions;

/// <summary>A token's fhirContext Groups (and a Group-level export's group) narrow it to their members, failing closed.</summary>
public sealed class ContextGroupsTests
{
    [Theory]
    // groups | touched patients | members among them | outcome (null: no group narrows) | code
    [InlineData("g1", "a", "a", Outcome.Permit, "context.group")]
    [InlineData("g1", "a,b", "a", Outcome.Deny, "context.outside-group")]
    [InlineData("g1,g2", "a,b", "a,b", Outcome.Permit, "context.group")]
    // An unknown group, or a membership that ended, answers no member: the patient is outside.
    [InlineData("unknown", "a", "", Outcome.Deny, "context.outside-group")]
    // A narrowed token that names no patient reaches nobody through its groups.
    [InlineData("g1", "", "", Outcome.Deny, "context.outside-group")]
    [InlineData("", "a", "", null, null)]
    public void Every_touched_patient_must_be_a_member_of_a_narrowing_group(
        string groups, string patients, string inside, Outcome? outcome, string? code)
    {
        var reason = ContextGroups.Reason(List(groups), List(patients), List(inside).ToHashSet(StringComparer.Ordinal));
        Assert.Equal((outcome, code), (reason?.Outcome, reason?.Code));
    }

    [Fact]
    public void Only_Group_references_narrow_and_a_malformed_reference_is_invalid_naming_the_field()
    {
        Assert.Equal(["g1"], ContextGroups.Of(Token("Encounter/e1", "Group/g1")));
        var invalid = Assert.Throws<RequestValidationException>(() => ContextGroups.Of(Token("Group/g1", "http://other/Group/g2")));
        Assert.Equal("token.fhir_context", invalid.Field);
    }

    [Fact]
    public void The_groups_reach_is_their_members_at_the_instant_and_no_group_is_no_narrowing()
    {
        Assert.Null(ContextGroups.Reach([], ["a"]));
        var reach = ContextGroups.Reach(["g1", "g2"], ["b", "a", "b"])!;
        Assert.Equal((false, "a,b", "Group/g1,Group/g2"), (reach.AllPatients, string.Join(",", reach.Patients), string.Join(",", reach.GrantingSets)));
        Assert.Empty(ContextGroups.Reach(["unknown"], [])!.Patients);
    }

    private static TokenContext Token(params string[] context) => new() { ClientId = "app", Scope = "user/*.rs", FhirContext = context };

    private static IReadOnlyList<string> List(string csv) => csv.Length == 0 ? [] : csv.Split(',');
}
