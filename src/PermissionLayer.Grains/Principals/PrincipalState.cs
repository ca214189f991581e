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
        var profile = question.WithProfile
            ? await ProfileOfAsync(required, question.ResourceType == "*" ? null : question.ResourceType, question.Purpose, question.At, question.Patients, references)
            : null;
        if (question.Patients.Count == 0)
        {
            return NonPatientData(required, question) with { Profile = profile };
        }
        var patients = await new PatientReach(Key, Grants, CareTeams, required, question, references).ExplainAsync();
        return new AccessAnswer(patients.All(p => p.Permitted), patients, Revision, profile);
    }

    /// <summary>Every patient this principal reaches with the actions (cruds letters) at the instant.</summary>
    public Task<ReachableSet> ReachAsync(string actions, string? resourceType, string? purpose, DateTimeOffset at, GrainReferences references) =>
        new ReachCollector(Key, Grants.All, CareTeams, Parse(actions), resourceType, purpose, at, references).CollectAsync();

    /// <summary>
    /// Clearance and break-glass permission about <paramref name="patients"/> (from the grants covering the
    /// actions at the instant that reach them; null: every patient), care teams and organizations.
    /// </summary>
    public Task<RequesterProfile> ProfileAsync(
        string actions, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients, GrainReferences references) =>
        ProfileOfAsync(Parse(actions), resourceType, purpose, at, patients, references);

    private async Task<RequesterProfile> ProfileOfAsync(
        DataActions required, string? resourceType, string? purpose, DateTimeOffset at, IReadOnlyList<string>? patients, GrainReferences references)
    {
        var privacy = await PrivacyReach.CommonAsync(Grants, required, resourceType, purpose, at, patients, references);
        var organizations = Roles.Where(r => r.InForceAt(at) && r.Organization is not null).Select(r => r.Organization!).Distinct().ToList();
        return new RequesterProfile(
            privacy.Clearance.Ceiling, [.. privacy.Clearance.Categories.Order(StringComparer.Ordinal)], privacy.MayBreakGlass,
            [.. CareTeams.Order(StringComparer.Ordinal)], organizations);
    }

    /// <summary>
    /// Data in no patient's compartment (a Practitioner, an Organization, a Medication): the principal
    /// must hold some effective grant for the actions, or be a patient user or a care-team member.
    /// </summary>
    private AccessAnswer NonPatientData(DataActions required, AccessQuestion question)
    {
        var grant = Grants.All.FirstOrDefault(g => g.IsEffectiveAt(question.At) && g.Covers(required, question.ResourceType, question.Purpose));
        var permitted = grant is not null || Key.StartsWith("Patient/", StringComparison.Ordinal)
            || (CareTeams.Count > 0 && (required & ~CareTeamEntitlement.ParticipantActions) == 0);
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
