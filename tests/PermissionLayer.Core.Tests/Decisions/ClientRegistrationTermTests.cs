using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Tests.Decisions;

/// <summary>The client's registration comes before the scopes: a suspended client is denied, scopes beyond the ceiling are ignored.</summary>
public sealed class ClientRegistrationTermTests
{
    private static readonly ScopeParser Parser = new(new Types());

    [Theory]
    // registered status (null: never registered) | ceiling | token scopes | scopes kept | client reason (null: none)
    [InlineData(null, "", "user/Observation.rs", "user/Observation.rs", null)]
    [InlineData("active", "user/Observation.rs", "user/Observation.rs", "user/Observation.rs", null)]
    [InlineData("active", "user/Observation.rs", "user/Observation.rs user/Patient.rs", "user/Observation.rs", "client.ceiling")]
    [InlineData("active", "", "user/Patient.rs", "", "client.ceiling")]
    [InlineData("suspended", "user/Observation.rs", "user/Observation.rs", "user/Observation.rs", "client.suspended")]
    public void The_registration_bounds_the_token(string? status, string ceiling, string token, string kept, string? code)
    {
        var registration = status is null ? null : new ClientStanding(status == "active", status, ceiling);
        var applied = ClientRegistrationTerm.Apply("app", registration, Parser, Parser.Parse(token));
        Assert.Equal(kept, string.Join(' ', applied.Scopes.Scopes.Select(s => s.Text)));
        Assert.Equal(code, applied.Reason?.Code);
        Assert.Equal(code == "client.suspended" ? Outcome.Deny : Outcome.Permit, applied.Reason?.Outcome ?? Outcome.Permit);
    }

    private sealed class Types : IResourceTypeCatalog
    {
        public bool IsKnown(string resourceType) => resourceType is "Patient" or "Observation";
    }
}
