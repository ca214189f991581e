using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// The facts a decision reads, asked by the <see cref="DecisionComposition"/> as it needs them: the
/// server answers from its grains, a <see cref="DecisionSnapshot"/> from immutable values. The rules
/// are all in the composition; an answer only states what is on record (an unknown fact reaches nobody).
/// </summary>
public interface IDecisionFacts
{
    /// <summary>The client's registration; null when it was never registered.</summary>
    Task<ClientStanding?> ClientAsync(string clientId);

    /// <summary>The principal's entitlement walk for the question (access per patient, the reach, the profile).</summary>
    Task<EntitlementAnswer> WalkAsync(PrincipalRef principal, WalkQuestion question);

    /// <summary>Which of the patients are members of the group at the instant.</summary>
    Task<IReadOnlyList<string>> MembersAmongAsync(string group, IReadOnlyList<string> patients, DateTimeOffset at);

    /// <summary>Every member of the group at the instant.</summary>
    Task<IReadOnlyList<string>> MembersAsync(string group, DateTimeOffset at);

    /// <summary>The patient's consents' verdict on the question.</summary>
    Task<ConsentVerdict> ConsentAsync(string patient, ConsentRequest question);

    /// <summary>The consent screen of many patients (<paramref name="candidates"/>; null: every patient).</summary>
    Task<PopulationScreen> ScreenAsync(ConsentRequest question, IReadOnlyList<string>? candidates);
}
