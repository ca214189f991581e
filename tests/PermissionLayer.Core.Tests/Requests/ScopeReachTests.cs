using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Tests.Requests;

/// <summary>Whom a token's scopes can reach at all, for the accessible-patients stream.</summary>
public sealed class ScopeReachTests
{
    private static readonly ScopeParser Parser = new(new TwoResourceTypes());

    [Theory]
    [InlineData("openid fhirUser", "Observation", null, false, null)]
    [InlineData("user/Patient.rs", "Observation", null, false, null)]
    [InlineData("user/Observation.c", "Observation", null, false, null)]
    [InlineData("user/Observation.rs", "Observation", null, true, null)]
    [InlineData("user/*.s", "*", null, true, null)]
    [InlineData("patient/Observation.rs", "Observation", null, false, null)]
    [InlineData("patient/Observation.rs", "Observation", "p1", true, "p1")]
    [InlineData("patient/Observation.rs user/Observation.rs", "Observation", "p1", true, null)]
    [InlineData("system/Observation.rs", "Observation", null, true, null)]
    public void Scopes_reach_nobody_everyone_their_entitlements_allow_or_the_launch_patient(
        string scope, string type, string? launch, bool reaches, string? onlyPatient)
    {
        var reach = ScopeReach.Of(Parser.Parse(scope), Interaction.SearchType, type, launch);
        Assert.Equal((reaches, onlyPatient), (reach.ReachesAnyone, reach.OnlyPatient));
    }

    private sealed class TwoResourceTypes : IResourceTypeCatalog
    {
        public bool IsKnown(string resourceType) => resourceType is "Patient" or "Observation";
    }
}
