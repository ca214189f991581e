using CsCheck;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Entitlements;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Tests.Properties;

/// <summary>
/// Properties of whole decisions, over the pure core composed as the server composes it
/// (<see cref="Decisions.DecisionSnapshot.Decide"/>, the server's composition: request contract, scope, the client's and user's
/// entitlement walks, consent, labels, break-the-glass): less information, or fewer entitlements,
/// never turn a DENY into a PERMIT, and a grant's privacy attributes matter only where it reaches.
/// </summary>
public sealed class DecisionMonotonicityProperties
{
    private const int Iterations = 3000;
    private static readonly DateTimeOffset At = DecisionCase.At;

    /// <summary>
    /// The case with one piece of information taken away, or null when there is none to take. A code or
    /// label taken away also takes away the claim that the state lists them all (<c>complete</c>):
    /// without it the change would assert "the data has no such code", which is information, not less of it.
    /// Patients are taken away all at once: a state then names no patient (a state that names one of two
    /// patients says something else about the data, not less; see the report of issue 13).
    /// </summary>
    private static DecisionCase? WithLess(DecisionCase c, int what, int index)
    {
        var request = c.Request;
        ResourceFacts? Less(ResourceFacts? f) => f is null ? null : what switch
        {
            0 => f with { Patients = [] },
            1 when f.Code.Count > 0 => f with { Code = [.. f.Code.Where((_, i) => i != index % f.Code.Count)], Complete = false },
            2 when f.Security.Count > 0 => f with { Security = [.. f.Security.Where((_, i) => i != index % f.Security.Count)], Complete = false },
            3 when f.Complete => f with { Complete = false },
            _ => null,
        };
        if (what == 4)
        {
            return request.Stored is null ? null : c with { Request = request with { Stored = null } };
        }
        var stored = index % 2 == 0;
        var changed = Less(stored ? request.Stored : request.Proposed);
        return changed is null ? null
            : c with { Request = stored ? request with { Stored = changed } : request with { Proposed = changed } };
    }

    [Fact]
    public void Removing_information_from_a_request_never_turns_a_deny_into_a_permit() =>
        Gen.Select(DecisionGen.CaseGen(), Gen.Int[0, 4], Gen.Int[0, 7]).Sample((c, what, index) =>
        {
            var less = WithLess(c, what, index);
            return less is null || less.Outcome() != "PERMIT" || c.Outcome() == "PERMIT";
        }, iter: Iterations, print: t => $"{t.Item1} — less #{t.Item2}/{t.Item3}: {WithLess(t.Item1, t.Item2, t.Item3)?.Request}");

    /// <summary>
    /// The case with fewer entitlements or a further restriction: a deny provision added to a consent,
    /// a grant revoked, a set membership or a care-team participation ended at the instant.
    /// </summary>
    private static DecisionCase? Restricted(DecisionCase c, int what, int index, ConsentProvision deny)
    {
        switch (what)
        {
            case 0:
                var patient = DecisionGen.Patients[index % 2];
                var consents = c.Consents.GetValueOrDefault(patient) ?? [];
                if (consents.Count == 0)
                {
                    return null;
                }
                var target = consents[index % consents.Count];
                var amended = target with { Root = Consents.ConsentTrees.Numbered(target.Root with { Children = [.. target.Root.Children, deny] }) };
                return c with { Consents = new Dictionary<string, IReadOnlyList<CompiledConsent>>(c.Consents) { [patient] = [.. consents.Select(x => x == target ? amended : x)] } };
            case 1:
                var grants = c.UserGrants.Concat(c.ClientGrants).Where(g => g.RevokedAt is null).ToList();
                if (grants.Count == 0)
                {
                    return null;
                }
                var revoked = grants[index % grants.Count];
                Grant Revoke(Grant g) => g == revoked ? g with { RevokedAt = At.AddHours(-1) } : g;
                return c with { UserGrants = [.. c.UserGrants.Select(Revoke)], ClientGrants = [.. c.ClientGrants.Select(Revoke)] };
            case 2:
                var memberships = c.Sets.SelectMany(s => s.Value.Select(m => (Set: s.Key, Membership: m))).Where(m => m.Membership.At(At)).ToList();
                if (memberships.Count == 0)
                {
                    return null;
                }
                var (set, ending) = memberships[index % memberships.Count];
                return c with
                {
                    Sets = new Dictionary<GrantTarget, IReadOnlyList<Membership>>(c.Sets) { [set] = [.. c.Sets[set].Select(m => m == ending ? m with { End = At } : m)] },
                };
            default:
                var participations = c.Teams.SelectMany(t => t.Value.Participants.Select(p => (Team: t.Key, Participant: p)))
                    .Where(p => p.Participant.Member == DecisionGen.User && p.Participant.TakesPartAt(At)).ToList();
                if (participations.Count == 0)
                {
                    return null;
                }
                var (team, leaving) = participations[index % participations.Count];
                var t = c.Teams[team];
                return c with
                {
                    Teams = new Dictionary<string, Team>(c.Teams) { [team] = t with { Participants = [.. t.Participants.Select(p => p == leaving ? p with { PeriodEnd = At } : p)] } },
                };
        }
    }

    /// <remarks>
    /// Consents here name no care team as actor: a deny provision for <c>CareTeam/t1</c> stops applying to
    /// a user who has left t1 — rightly, the consent withholds from the team's members, and they are not one.
    /// </remarks>
    [Fact]
    public void Adding_a_deny_provision_revoking_a_grant_or_ending_a_membership_or_participation_never_turns_a_deny_into_a_permit() =>
        Gen.Select(DecisionGen.CaseGen(teamActors: false), Gen.Int[0, 3], Gen.Int[0, 7], DecisionGen.ProvisionGen(deny: true, teamActors: false)).Sample((c, what, index, deny) =>
        {
            var restricted = Restricted(c, what, index, deny);
            return restricted is null || restricted.Outcome() != "PERMIT" || c.Outcome() == "PERMIT";
        }, iter: Iterations, print: t => $"{t.Item1} — restriction #{t.Item2}/{t.Item3} (deny {Consents.ConsentShow.Show(t.Item4)})");

    /// <summary>Whether the grant's target reaches one of the patients, by what the sets and teams hold (not by the walk).</summary>
    private static bool ReachesAny(DecisionCase c, Grant grant, IReadOnlyList<string> patients)
    {
        var world = new EntitlementWorld(c.Sets, c.Teams);
        return patients.Any(p => grant.Target switch
        {
            GrantTarget.EveryoneTarget => true,
            GrantTarget.Patient direct => direct.Id == p,
            GrantTarget.CareTeam team => world.SubjectInForce(team.Id) == p,
            var set => world.IsMember(set, p, At),
        });
    }

    [Fact]
    public void A_grants_privacy_attributes_never_change_a_decision_about_patients_it_does_not_reach() =>
        Gen.Select(DecisionGen.CaseGen(), Gen.Int[0, 7], Gen.OneOfConst<string?>(null, "R", "V"), Gen.Bool, Gen.Bool).Sample((c, index, clearance, hiv, glass) =>
        {
            var grants = c.UserGrants.Concat(c.ClientGrants).ToList();
            if (grants.Count == 0)
            {
                return true;
            }
            var grant = grants[index % grants.Count];
            if (ReachesAny(c, grant, c.Request.TouchedPatients))
            {
                return true;
            }
            Grant Change(Grant g) => g == grant ? g with { Clearance = clearance, SensitivityCategories = hiv ? ["HIV"] : [], BreakGlass = glass } : g;
            var changed = c with { UserGrants = [.. c.UserGrants.Select(Change)], ClientGrants = [.. c.ClientGrants.Select(Change)] };
            return changed.Outcome() == c.Outcome();
        }, iter: Iterations, print: t => $"{t.Item1} — grant #{t.Item2} → clearance {t.Item3}, HIV {t.Item4}, break-glass {t.Item5}");

    /// <summary>The generator reaches both outcomes often enough for the properties above to mean something.</summary>
    [Fact]
    public void Generated_cases_are_permitted_and_denied()
    {
        var outcomes = DecisionGen.CaseGen().Array[400].Single().Select(c => c.Outcome()).GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(outcomes.GetValueOrDefault("PERMIT") >= 20, $"permits: {outcomes.GetValueOrDefault("PERMIT")}");
        Assert.True(outcomes.GetValueOrDefault("DENY") >= 20, $"denies: {outcomes.GetValueOrDefault("DENY")}");
    }
}
