using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Decisions;

/// <summary>
/// Everything one decision reads, as immutable values: the request, the client's registration, the
/// entitlements of the client and of the user, what the patient sets and care teams answer
/// (<see cref="Facts"/>, as their grains would), the groups' members, and each patient's consents.
/// <see cref="Decide"/> and <see cref="Accessible"/> run the server's own <see cref="DecisionComposition"/> over it.
/// </summary>
public sealed record DecisionSnapshot
{
    public required DecisionRequest Request { get; init; }
    /// <summary>Parses the token's scopes (and the registration's ceiling) with the deployment's resource types.</summary>
    public required ScopeParser Parser { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>The client's registration; null: never registered (bounded by its grants alone).</summary>
    public ClientStanding? Registration { get; init; }
    public required EntitlementSnapshot Client { get; init; }
    /// <summary>The token's fhirUser's entitlements; null when the token names none.</summary>
    public EntitlementSnapshot? User { get; init; }
    /// <summary>Answers the walk's asks for a principal, at <see cref="At"/>.</summary>
    public required Func<PrincipalRef, WalkAsks, WalkFacts, WalkFacts> Facts { get; init; }
    /// <summary>A group's members at an instant (the token's fhirContext groups, a Group-level export's group).</summary>
    public Func<string, DateTimeOffset, IReadOnlyList<string>> GroupMembers { get; init; } = (_, _) => [];
    public required Func<string, IReadOnlyList<CompiledConsent>> Consents { get; init; }
    /// <summary>Every patient with a consent on record, sorted (a screen of every patient reads them).</summary>
    public IReadOnlyList<string> PatientsWithConsents { get; init; } = [];
    public ConsentPolicyRule DefaultRule { get; init; } = ConsentPolicyRule.OptIn;
    public string DefaultPurpose { get; init; } = "TREAT";
    /// <summary>Organizations the user holds a role at (consent actors).</summary>
    public IReadOnlyList<string> UserOrganizations { get; init; } = [];

    private DecisionContext Context => new(Parser, new ConsentDefaults(DefaultRule, DefaultPurpose), At, 0);

    /// <summary>
    /// The decision about <see cref="Request"/>, as the server's Check answers it. Throws
    /// <see cref="RequestValidationException"/> where the server answers INVALID_ARGUMENT.
    /// </summary>
    public DecisionResult Decide() =>
        Completed(DecisionComposition.DecideAsync(RequestMeaning.Of(Request), Context, new SnapshotFacts(this)));

    /// <summary>The patients the request's token may reach for the interaction on the type, as StreamAccessiblePatients answers.</summary>
    public AccessiblePatients Accessible(Interaction interaction, string resourceType) =>
        Completed(DecisionComposition.AccessibleAsync(Request.Token, interaction, resourceType, Context, new SnapshotFacts(this)));

    /// <summary>Every fact of a snapshot is answered on the spot, so the composition completes synchronously.</summary>
    private static T Completed<T>(Task<T> task) =>
        task.IsCompleted ? task.GetAwaiter().GetResult() : throw new InvalidOperationException("a snapshot's decision must complete synchronously");
}
