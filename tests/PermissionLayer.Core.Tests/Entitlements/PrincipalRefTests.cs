using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Tests.Entitlements;

/// <summary>One parser for principals: a user is a valid principal that is not a client app; anything else says why.</summary>
public sealed class PrincipalRefTests
{
    [Theory]
    [InlineData("Practitioner/u", null)]
    [InlineData("Patient/a", null)]
    [InlineData("RelatedPerson/r", null)]
    [InlineData("Client/app", "names a client app, not a user")]
    [InlineData("Client/", "client id")]
    [InlineData("Practitioner", "is not of the form Type/id")]
    [InlineData("practitioner/u", "is not of the form Type/id")]
    [InlineData("Encounter/e1", "is not one of")]
    [InlineData("http://other/Practitioner/u", "is not of the form Type/id")]
    [InlineData("", "is not of the form Type/id")]
    public void A_user_is_a_principal_that_is_no_client_app(string text, string? error)
    {
        var invalid = PrincipalRef.ValidateUser(text);
        if (error is null)
        {
            Assert.Null(invalid);
            Assert.True(PrincipalRef.Parse(text).IsUser);
        }
        else
        {
            Assert.Contains(error, invalid);
        }
    }
}
