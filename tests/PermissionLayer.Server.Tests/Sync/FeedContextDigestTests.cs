using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Features.Sync;
using CoreInteraction = PermissionLayer.Core.Requests.Interaction;

namespace PermissionLayer.Server.Tests.Sync;

/// <summary>A resume point belongs to one request context: everything that shapes the set changes the digest; the jti does not.</summary>
public sealed class FeedContextDigestTests
{
    private static TokenContext Base() => new()
    {
        ClientId = "app", FhirUser = "Practitioner/a", Scope = "user/Patient.rs", Jti = "j1", FhirContext = { "Group/g1" },
        UserAffiliations = { "Organization/o1" }, PurposeOfUse = "TREAT",
    };

    private static string Digest(TokenContext token, CoreInteraction interaction = CoreInteraction.SearchType, string type = "Patient") =>
        FeedContextDigest.Of(token, interaction, type);

    public static TheoryData<string> Changes() => ["client", "user", "scope", "launch", "fhirContext", "purpose", "breakGlass", "affiliation"];

    private static TokenContext With(string change)
    {
        var token = Base();
        switch (change)
        {
            case "client": token.ClientId = "other"; break;
            case "user": token.FhirUser = "Practitioner/b"; break;
            case "scope": token.Scope = "user/*.rs"; break;
            case "launch": token.LaunchPatient = "p"; break;
            case "fhirContext": token.FhirContext[0] = "Group/g2"; break;
            case "purpose": token.PurposeOfUse = "BTG"; break;
            case "breakGlass": token.BreakGlassReason = "emergency"; break;
            case "affiliation": token.UserAffiliations[0] = "Organization/o2"; break;
        }
        return token;
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void Any_claim_that_shapes_the_set_changes_the_digest(string change) =>
        Assert.NotEqual(Digest(Base()), Digest(With(change)));

    [Fact]
    public void Resource_type_and_interaction_change_it_the_jti_does_not()
    {
        Assert.NotEqual(Digest(Base()), Digest(Base(), type: "Observation"));
        Assert.NotEqual(Digest(Base()), Digest(Base(), CoreInteraction.Read));
        var reissued = Base();
        reissued.Jti = "j2";
        Assert.Equal(Digest(Base()), Digest(reissued));
        Assert.True(FeedContextDigest.Matches(Digest(reissued), Digest(Base())));
        Assert.False(FeedContextDigest.Matches("", Digest(Base())));
    }
}
