using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency;

/// <summary>
/// Generates a small entitlement world from a seed (System.Random with a seed is stable across runs
/// and .NET versions): 6 patients, 3 practitioners, 2 clients, 2 groups, an organization, 2 care teams,
/// grants of every target kind, up to 3 consents with nested provisions, 6 tokens, 3 instants and 1–3
/// changes that take access away. The weights favour the shapes that exercise the decision (windows that
/// start or end between the instants, type- and purpose-limited grants, privacy attributes on some
/// grants, break-the-glass asked for) while keeping most requests reachable (every client has one plain grant).
/// </summary>
internal sealed class CaseGenerator(int seed)
{
    private static readonly double[] Endpoints = [0, 1, 2, 3];
    private static readonly double[] InstantGrid = [-0.5, 0.5, 1.5, 2.5, 3.5];
    private readonly Random _random = new(seed);
    private int _grants;

    public static ConsistencyCase Generate(int seed) => new CaseGenerator(seed).Case();

    private ConsistencyCase Case()
    {
        var patients = Enumerable.Range(0, 6).Select(i => $"p{i}").ToList();
        var practitioners = Enumerable.Range(0, 3).Select(i => $"Practitioner/d{i}").ToList();
        var sets = new List<PatientSetSpec>
        {
            Set("Group/g0", patients, 0.4), Set("Group/g1", patients, 0.35), Set("Organization/o0", patients, 0.35),
        };
        var teams = Enumerable.Range(0, 2).Select(i => CareTeam($"t{i}", patients, practitioners)).ToList();
        var clients = Enumerable.Range(0, 2).Select(i => Client($"c{i}")).ToList();
        var grants = new List<GrantSpec>();
        foreach (var practitioner in practitioners)
        {
            var count = Pick((0, 1), (1, 2), (2, 3), (3, 3), (4, 2));
            grants.AddRange(Enumerable.Range(0, count).Select(_ => Grant(practitioner, patients, client: false)));
        }
        foreach (var client in clients)
        {
            // Most apps are trusted broadly or for a few groups (DESIGN.md §3): one plain grant, then some narrower ones.
            grants.Add(TrustedClientGrant(client.Principal));
            var count = Pick((0, 3), (1, 3), (2, 1));
            grants.AddRange(Enumerable.Range(0, count).Select(_ => Grant(client.Principal, patients, client: true)));
        }
        var consents = Enumerable.Range(0, Pick((0, 1), (1, 2), (2, 3), (3, 2))).Select(i => Consent($"k{i}", patients, practitioners)).ToList();
        var graph = new EntitlementGraph(patients, practitioners, clients, grants, sets, teams, consents);
        var tokens = Enumerable.Range(0, 6).Select(_ => Token(patients, practitioners)).ToList();
        var instants = InstantGrid.OrderBy(_ => _random.Next()).Take(3).Order().Select(CaseTime.At).ToList();
        var mutations = Enumerable.Range(0, Pick((1, 2), (2, 2), (3, 1))).Select(_ => Mutation(graph)).OfType<Mutation>().Distinct().ToList();
        return new ConsistencyCase(seed, graph, tokens, instants, mutations);
    }

    private Mutation? Mutation(EntitlementGraph graph)
    {
        var members = graph.Sets.SelectMany(s => s.Members.Select(m => (s.Reference, m.Patient))).ToList();
        var participants = graph.CareTeams.SelectMany(t => t.Participants.Select(p => (t.Id, p))).ToList();
        switch (Pick((MutationKind.RevokeGrant, 4), (MutationKind.RemoveMember, 2), (MutationKind.RemoveParticipant, 2), (MutationKind.DeactivateCareTeam, 1)))
        {
            case MutationKind.RevokeGrant when graph.Grants.Count > 0:
                return new Mutation(MutationKind.RevokeGrant, GrantKey: One(graph.Grants).Key);
            case MutationKind.RemoveMember when members.Count > 0:
                var (set, patient) = One(members);
                return new Mutation(MutationKind.RemoveMember, Target: set, Member: patient);
            case MutationKind.RemoveParticipant when participants.Count > 0:
                var (team, participant) = One(participants);
                return new Mutation(MutationKind.RemoveParticipant, Target: team, Member: participant);
            case MutationKind.DeactivateCareTeam:
                return new Mutation(MutationKind.DeactivateCareTeam, Target: One(graph.CareTeams).Id);
            default:
                return null;
        }
    }

    private PatientSetSpec Set(string reference, IReadOnlyList<string> patients, double membership) =>
        new(reference, [.. patients.Where(_ => Chance(membership)).Select(p => new MemberSpec(p, RandomWindow(0.5)))]);

    private CareTeamSpec CareTeam(string id, IReadOnlyList<string> patients, IReadOnlyList<string> practitioners) => new(
        id, One(patients),
        Pick(("active", 7), ("inactive", 1), ("suspended", 1), ("proposed", 1), ("entered-in-error", 1)),
        RandomWindow(0.5),
        [.. practitioners.Where(_ => Chance(0.45)).DefaultIfEmpty(One(practitioners))]);

    private ClientSpec Client(string id)
    {
        var ceiling = Pick(
            ("user/*.rs patient/*.rs system/*.rs", 5), ("user/*.cruds patient/*.cruds system/*.cruds", 2), ("user/*.rs", 1),
            ("user/Observation.rs patient/*.rs", 1), ("patient/*.rs system/*.rs", 1), ("system/*.rs", 1));
        var status = Chance(0.3) ? null : Chance(0.85) ? "active" : "suspended";
        return new ClientSpec(id, status, ceiling);
    }

    private GrantSpec TrustedClientGrant(string principal)
    {
        var target = Pick(("*", 6), ("Group/g0", 2), ("Organization/o0", 1), ("Group/g1", 1));
        var privacy = Chance(0.3);
        var clearance = privacy ? Pick(((string?)null, 2), ("R", 2), ("V", 1)) : null;
        string[] categories = privacy && Chance(0.5) ? ["HIV"] : [];
        return new GrantSpec(_grants++, principal, target, Pick(("rs", 3), ("cruds", 1)), [], [], RandomWindow(0.8), clearance, categories, false);
    }

    private GrantSpec Grant(string principal, IReadOnlyList<string> patients, bool client)
    {
        var target = client
            ? Pick(("*", 4), ("Group/g0", 2), ("Group/g1", 1), ("Organization/o0", 2), ($"Patient/{One(patients)}", 2), ("CareTeam/t0", 1))
            : Pick(($"Patient/{One(patients)}", 8), ("Group/g0", 3), ("Group/g1", 2), ("Organization/o0", 3), ("CareTeam/t0", 2), ("CareTeam/t1", 1), ("*", 1));
        var actions = Pick(("rs", 6), ("r", 1), ("s", 1), ("cruds", 2));
        string[] types = Pick<string[]>(([], 6), (["Observation"], 2), (["Condition"], 1), (["Observation", "Condition"], 1));
        string[] purposes = Pick<string[]>(([], 7), (["TREAT"], 2), (["HRESCH"], 1), (["TREAT", "ETREAT", "BTG"], 1));
        var privacy = Chance(0.4);
        var clearance = privacy ? Pick(((string?)null, 4), ("R", 4), ("V", 2)) : null;
        string[] categories = privacy ? Pick<string[]>(([], 3), (["HIV"], 3), (["PSY"], 1), (["HIV", "PSY"], 1)) : [];
        var breakGlass = privacy && !client && Chance(0.6);
        return new GrantSpec(_grants++, principal, target, actions, types, purposes, RandomWindow(0.55), clearance, categories, breakGlass);
    }

    private ConsentSpec Consent(string id, IReadOnlyList<string> patients, IReadOnlyList<string> practitioners)
    {
        var status = Chance(0.85) ? "active" : Pick(("inactive", 1), ("draft", 1));
        var rule = Pick(((string?)null, 2), ("OPTIN", 3), ("OPTOUT", 2));
        var provisions = Enumerable.Range(0, Pick((0, 1), (1, 3), (2, 2))).Select(_ => Provision(1, practitioners)).ToList();
        return new ConsentSpec(id, One(patients), status, rule, RandomWindow(0.7), provisions);
    }

    private ProvisionSpec Provision(int depth, IReadOnlyList<string> practitioners)
    {
        var actor = Chance(0.45)
            ? Pick((One(practitioners), 3), ("Organization/o0", 2), ("CareTeam/t0", 1), ("CareTeam/t1", 1), ("Device/c0", 1), ("Device/c1", 1), ("Group/g0", 1))
            : null;
        var action = Chance(0.25) ? Pick(("access", 3), ("use", 1), ("disclose", 1), ("correct", 1), ("collect", 1)) : null;
        var purpose = Chance(0.25) ? Pick(("TREAT", 2), ("HRESCH", 2), ("ETREAT", 1)) : null;
        var @class = Chance(0.3) ? Pick(("Observation", 3), ("Condition", 1)) : null;
        var code = Chance(0.2) ? Pick(("http://loinc.org|8867-4", 2), ("http://loinc.org|1234-5", 1)) : null;
        var label = Chance(0.3)
            ? Pick((Labels.Hiv, 2), (Labels.Psy, 1), (Labels.Restricted, 2), (Labels.VeryRestricted, 1))
            : null;
        ProvisionSpec[] children = depth < 2 && Chance(0.3) ? [Provision(depth + 1, practitioners)] : [];
        return new ProvisionSpec(Chance(0.5) ? "permit" : "deny", actor, action, purpose, @class, code, label, RandomWindow(0.85), children);
    }

    private TokenSpec Token(IReadOnlyList<string> patients, IReadOnlyList<string> practitioners)
    {
        var client = Chance(0.5) ? "c0" : "c1";
        var kind = Pick(("practitioner", 5), ("patient", 2), ("system", 3));
        string? user = null, launch = null;
        string scope;
        switch (kind)
        {
            case "practitioner":
                user = One(practitioners);
                scope = Pick(
                    ("user/*.rs", 4), ("user/Observation.rs", 3), ("user/Observation.r", 1), ("user/Patient.rs", 1), ("openid fhirUser", 1),
                    ("patient/*.rs", 2), ("patient/Observation.rs", 1), ("user/Observation.rs patient/*.rs", 1));
                launch = scope.Contains("patient/", StringComparison.Ordinal) ? One(patients) : null;
                break;
            case "patient":
                var self = One(patients);
                user = $"Patient/{self}";
                scope = Pick(("patient/*.rs", 3), ("patient/Observation.rs", 1), ("user/*.rs", 1));
                launch = scope.StartsWith("patient/", StringComparison.Ordinal) ? (Chance(0.85) ? self : One(patients)) : null;
                break;
            default:
                scope = Pick(("system/*.rs", 3), ("system/Observation.rs", 2), ("system/Patient.rs", 1));
                break;
        }
        var purpose = Pick(((string?)null, 8), ("TREAT", 2), ("HRESCH", 2), ("ETREAT", 2), ("BTG", 3));
        var reason = purpose is "BTG" or "ETREAT" && Chance(0.8) ? "patient unconscious in the emergency department" : null;
        string[] context = Chance(0.15) ? [Chance(0.5) ? "Group/g0" : "Group/g1"] : [];
        string[] affiliations = kind == "practitioner" && Chance(0.3) ? ["Organization/o0"] : [];
        return new TokenSpec(client, user, scope, launch, purpose, reason, context, affiliations);
    }

    private Window RandomWindow(double always)
    {
        if (Chance(always))
        {
            return Window.Always;
        }
        double? from = Chance(0.5) ? One(Endpoints) : null;
        double? until = Chance(0.6) ? One(Endpoints) : null;
        if (from is not null && until is not null && until <= from)
        {
            until = null;
        }
        return new Window(from is null ? null : CaseTime.At(from.Value), until is null ? null : CaseTime.At(until.Value));
    }

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private T One<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private T Pick<T>(params (T Value, int Weight)[] choices)
    {
        var roll = _random.Next(choices.Sum(c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable");
    }
}
