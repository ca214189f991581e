using System.Collections.Immutable;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Grains.Abstractions.Errors;
using PermissionLayer.Grains.Abstractions.Principals;
using PermissionLayer.Storage.PractitionerRoles;

namespace PermissionLayer.Grains.Principals;

/// <summary>
/// What a principal's activation holds, immutable, and the questions answered from it. The grain
/// answers its calls from its current state; the decision path on the same silo reads the published
/// state (<see cref="LocalState.ActivationStates{TState}"/>) and asks it the same questions directly.
/// </summary>
internal sealed record PrincipalState(
    string Key, GrantBook Grants, IReadOnlyList<PractitionerRoleRow> Roles, ImmutableHashSet<string> CareTeams, long Revision)
{
    public static PrincipalState Empty(string key) => new(key, GrantBook.Empty, [], [], 0);

    /// <summary>May this principal do the actions on each of the question's patients, and through which grant?</summary>
    public async Task<AccessAnswer> AuthorizeAsync(AccessQuestion question, GrainReferences references)
    {
        var required = Parse(question.Actions);
        var careTeams = Participation(question.At, references);
        AccessAnswer answer;
        if (question.Patients.Count == 0)
        {
            answer = await NonPatientDataAsync(required, question, careTeams);
        }
        else
        {
            var patients = await new PatientReach(Key, Grants, careTeams, required, question, references).ExplainAsync();
            answer = new AccessAnswer(patients.All(p => p.Permitted), patients, Revision);
        }
        return question.WithProfile
            ? answer with
            {
                Profile = await ProfileOfAsync(
                    required, question.ResourceType == "*" ? null : question.ResourceType, question.Purpose, question.At, question.Patients, careTeams, references),
            }
            : answer;
    }

    /// <summary>Every patient this principal reaches with the actions (cruds letters) at the instant.</summary>
    public Task<ReachableSet> ReachAsync(string actions, string? resourceType, string? purpose, DateTimeOffset at, GrainReferences references) =>
        new ReachCollector(Key, Grants.All, Participation(at, references), Parse(actions), resourceType, purpose, at, references).CollectAsync();

    /// <summary>
    /// Clearance and break-glass permission about <paramref name="patients"/> (from the grants covering the
    /// actions at the instant that reach them; null: every patient), organizations, and the care teams
    /// the principal takes part in then, as each team answers (consent actors: a team that is inactive,
    /// out of its period, or that the principal has left or not yet joined is not one).
    /// </summary>
    public Task<RequesterProfile> ProfileAsync(
        string actions, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients, GrainReferences references) =>
        ProfileOfAsync(Parse(actions), resourceType, purpose, at, patients, Participation(at, references), references);

    /// <summary>
    /// The care teams the principal takes part in at the instant (team active, in its period, and one
    /// of the principal's participations running), as each team answers; in order.
    /// </summary>
    public Task<IReadOnlyList<string>> CareTeamsInForceAsync(DateTimeOffset at, GrainReferences references) =>
        Participation(at, references).InForceAsync();

    private CareTeamParticipation Participation(DateTimeOffset at, GrainReferences references) => new(Key, CareTeams, at, references);

    private async Task<RequesterProfile> ProfileOfAsync(
        DataActions required, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients,
        CareTeamParticipation careTeams, GrainReferences references)
    {
        var privacy = await PrivacyReach.CommonAsync(Grants, required, resourceType, purpose, at, patients, references);
        var organizations = Roles.Where(r => r.InForceAt(at) && r.Organization is not null).Select(r => r.Organization!).Distinct().ToList();
        return new RequesterProfile(
            privacy.Clearance.Ceiling, [.. privacy.Clearance.Categories.Order(StringComparer.Ordinal)], privacy.MayBreakGlass,
            [.. await careTeams.InForceAsync()], organizations);
    }

    /// <summary>
    /// Data in no patient's compartment (a Practitioner, an Organization, a Medication): the principal
    /// must hold some effective grant for the actions, or — to read and search it only — be a patient
    /// user or a care-team member. Changing shared data always takes a grant.
    /// </summary>
    private async Task<AccessAnswer> NonPatientDataAsync(DataActions required, AccessQuestion question, CareTeamParticipation careTeams)
    {
        var grant = Grants.All.FirstOrDefault(g => g.IsEffectiveAt(question.At) && g.Covers(required, question.ResourceType, question.Purpose));
        // A care-team member counts only while some team confirms they take part.
        var readsOnly = (required & ~(DataActions.Read | DataActions.Search)) == 0;
        var permitted = grant is not null
            || (readsOnly && (Key.StartsWith("Patient/", StringComparison.Ordinal) || await careTeams.AnyInForceAsync()));
        var explanation = grant is not null
            ? $"not patient data; {grant.Describe()} entitles {Key} to '{required.ToLetters()}'"
            : permitted
                ? $"not patient data; {Key} is a patient user or care-team member"
                : $"not patient data, and {Key} holds no effective grant for '{required.ToLetters()}'";
        return new AccessAnswer(permitted, [new PatientAccess("", permitted ? grant?.Id ?? Guid.Empty : null, explanation)], Revision);
    }

    private static DataActions Parse(string actions) =>
        ActionLetters.TryParse(actions, out var required)
            ? required
            : throw new EntitlementValidationException($"actions '{actions}' must be an in-order subset of 'cruds'");
}
