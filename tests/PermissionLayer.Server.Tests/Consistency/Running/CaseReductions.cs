using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>
/// The smaller cases one step away from a case, biggest cuts first: drop a consent, a grant, a care
/// team, a set, a patient with everything that names it, a member, a participant, a provision; then
/// simplify what is left (open windows, no privacy attributes, no type or purpose limits, an
/// unregistered client, a plainer token).
/// </summary>
internal static class CaseReductions
{
    public static IEnumerable<ConsistencyCase> Of(ConsistencyCase c, string keptPatient)
    {
        var g = c.Graph;
        foreach (var bulk in Bulk(c, keptPatient).Where(b => b != g))
        {
            yield return With(c, bulk);
        }
        foreach (var i in Indices(c.Mutations)) yield return c with { Mutations = Without(c.Mutations, i) };
        foreach (var i in Indices(g.Consents)) yield return With(c, g with { Consents = Without(g.Consents, i) });
        foreach (var i in Indices(g.Grants)) yield return With(c, g with { Grants = Without(g.Grants, i) });
        foreach (var i in Indices(g.CareTeams)) yield return With(c, g with { CareTeams = Without(g.CareTeams, i) });
        foreach (var i in Indices(g.Sets).Where(i => g.Sets[i].Members.Count > 0)) yield return With(c, g with { Sets = Replace(g.Sets, i, g.Sets[i] with { Members = [] }) });
        foreach (var patient in g.Patients.Where(p => p != keptPatient && c.Tokens.All(t => t.Launch != p && t.User != $"Patient/{p}")))
        {
            yield return With(c, WithoutPatient(g, patient));
        }
        foreach (var i in Indices(g.Sets))
        {
            foreach (var m in Indices(g.Sets[i].Members))
            {
                yield return With(c, g with { Sets = Replace(g.Sets, i, g.Sets[i] with { Members = Without(g.Sets[i].Members, m) }) });
            }
        }
        foreach (var i in Indices(g.CareTeams).Where(i => g.CareTeams[i].Participants.Count > 1))
        {
            foreach (var p in Indices(g.CareTeams[i].Participants))
            {
                yield return With(c, g with { CareTeams = Replace(g.CareTeams, i, g.CareTeams[i] with { Participants = Without(g.CareTeams[i].Participants, p) }) });
            }
        }
        foreach (var i in Indices(g.Consents))
        {
            foreach (var provisions in Smaller(g.Consents[i].Provisions))
            {
                yield return With(c, g with { Consents = Replace(g.Consents, i, g.Consents[i] with { Provisions = provisions }) });
            }
        }
        foreach (var simpler in Simplifications(c))
        {
            yield return simpler;
        }
    }

    /// <summary>Big cuts first, each one attempt: most failures need only a few facts of the token's own principals.</summary>
    private static IEnumerable<EntitlementGraph> Bulk(ConsistencyCase c, string keptPatient)
    {
        var g = c.Graph;
        var token = c.Tokens[0];
        var needed = new HashSet<string?> { keptPatient, token.Launch, token.User?.StartsWith("Patient/", StringComparison.Ordinal) == true ? token.User["Patient/".Length..] : null };
        var others = g.Patients.Where(p => !needed.Contains(p)).ToList();
        if (others.Count > 0)
        {
            yield return others.Aggregate(g, (graph, p) => WithoutPatient(graph, p));
        }
        var own = new[] { token.User, token.ClientPrincipal };
        if (g.Grants.Any(x => !own.Contains(x.Principal)))
        {
            yield return g with { Grants = [.. g.Grants.Where(x => own.Contains(x.Principal))] };
        }
        if (g.Consents.Count > 1)
        {
            yield return g with { Consents = [] };
        }
        if (g.CareTeams.Count > 1)
        {
            yield return g with { CareTeams = [] };
        }
        if (g.Sets.Count(s => s.Members.Count > 0) > 1)
        {
            yield return g with { Sets = [.. g.Sets.Select(s => s with { Members = [] })] };
        }
        if (g.Clients.Count(x => x.Status is not null) > 1)
        {
            yield return g with { Clients = [.. g.Clients.Select(x => x with { Status = null })] };
        }
    }

    private static IEnumerable<ConsistencyCase> Simplifications(ConsistencyCase c)
    {
        var g = c.Graph;
        foreach (var i in Indices(g.Grants))
        {
            var grant = g.Grants[i];
            if (!grant.Valid.IsAlways) yield return With(c, g with { Grants = Replace(g.Grants, i, grant with { Valid = Window.Always }) });
            if (grant.HasPrivacyAttributes) yield return With(c, g with { Grants = Replace(g.Grants, i, grant.WithoutPrivacyAttributes()) });
            if (grant.ResourceTypes.Count > 0) yield return With(c, g with { Grants = Replace(g.Grants, i, grant with { ResourceTypes = [] }) });
            if (grant.Purposes.Count > 0) yield return With(c, g with { Grants = Replace(g.Grants, i, grant with { Purposes = [] }) });
            if (grant.Actions != "rs") yield return With(c, g with { Grants = Replace(g.Grants, i, grant with { Actions = "rs" }) });
        }
        foreach (var i in Indices(g.Sets))
        {
            foreach (var m in Indices(g.Sets[i].Members).Where(m => !g.Sets[i].Members[m].Period.IsAlways))
            {
                var members = Replace(g.Sets[i].Members, m, g.Sets[i].Members[m] with { Period = Window.Always });
                yield return With(c, g with { Sets = Replace(g.Sets, i, g.Sets[i] with { Members = members }) });
            }
        }
        foreach (var i in Indices(g.CareTeams).Where(i => !g.CareTeams[i].Period.IsAlways))
        {
            yield return With(c, g with { CareTeams = Replace(g.CareTeams, i, g.CareTeams[i] with { Period = Window.Always }) });
        }
        foreach (var i in Indices(g.Consents))
        {
            var consent = g.Consents[i];
            if (!consent.Period.IsAlways) yield return With(c, g with { Consents = Replace(g.Consents, i, consent with { Period = Window.Always }) });
            if (consent.PolicyRule is not null) yield return With(c, g with { Consents = Replace(g.Consents, i, consent with { PolicyRule = null }) });
        }
        foreach (var i in Indices(g.Clients).Where(i => g.Clients[i].Status is not null))
        {
            yield return With(c, g with { Clients = Replace(g.Clients, i, g.Clients[i] with { Status = null }) });
        }
        var token = c.Tokens[0];
        if (token.Purpose is not null) yield return c with { Tokens = [token with { Purpose = null, BreakGlassReason = null }] };
        if (token.BreakGlassReason is not null) yield return c with { Tokens = [token with { BreakGlassReason = null }] };
        if (token.Context.Count > 0) yield return c with { Tokens = [token with { Context = [] }] };
        if (token.Affiliations.Count > 0) yield return c with { Tokens = [token with { Affiliations = [] }] };
    }

    /// <summary>Provision lists one step smaller: a provision dropped, or replaced by its children, at any depth.</summary>
    private static IEnumerable<IReadOnlyList<ProvisionSpec>> Smaller(IReadOnlyList<ProvisionSpec> provisions)
    {
        foreach (var i in Indices(provisions))
        {
            yield return Without(provisions, i);
            var p = provisions[i];
            if (p.Children.Count > 0)
            {
                yield return [.. provisions.Take(i), .. p.Children, .. provisions.Skip(i + 1)];
                foreach (var children in Smaller(p.Children))
                {
                    yield return Replace(provisions, i, p with { Children = children });
                }
            }
            foreach (var plainer in Plainer(p))
            {
                yield return Replace(provisions, i, plainer);
            }
        }
    }

    /// <summary>The provision with one element fewer (it then matches more requests).</summary>
    private static IEnumerable<ProvisionSpec> Plainer(ProvisionSpec p)
    {
        if (p.Actor is not null) yield return p with { Actor = null };
        if (p.Action is not null) yield return p with { Action = null };
        if (p.Purpose is not null) yield return p with { Purpose = null };
        if (p.Class is not null) yield return p with { Class = null };
        if (p.Code is not null) yield return p with { Code = null };
        if (p.Label is not null) yield return p with { Label = null };
        if (!p.Period.IsAlways) yield return p with { Period = Window.Always };
    }

    private static EntitlementGraph WithoutPatient(EntitlementGraph g, string patient) => g with
    {
        Patients = [.. g.Patients.Where(p => p != patient)],
        Grants = [.. g.Grants.Where(x => x.Target != $"Patient/{patient}")],
        Sets = [.. g.Sets.Select(s => s with { Members = [.. s.Members.Where(m => m.Patient != patient)] })],
        CareTeams = [.. g.CareTeams.Where(t => t.Subject != patient)],
        Consents = [.. g.Consents.Where(k => k.Patient != patient)],
    };

    /// <summary>The case on a smaller graph; changes to facts no longer there are dropped.</summary>
    private static ConsistencyCase With(ConsistencyCase c, EntitlementGraph graph) =>
        c with { Graph = graph, Mutations = [.. c.Mutations.Where(m => m.AppliesTo(graph))] };

    private static IEnumerable<int> Indices<T>(IReadOnlyList<T> items) => Enumerable.Range(0, items.Count);

    private static IReadOnlyList<T> Without<T>(IReadOnlyList<T> items, int index) => [.. items.Where((_, i) => i != index)];

    private static IReadOnlyList<T> Replace<T>(IReadOnlyList<T> items, int index, T item) => [.. items.Select((x, i) => i == index ? item : x)];
}
