using System.Text;
using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Running;

/// <summary>A case written for a reader: one line per fact, in the case's local names.</summary>
internal static class CaseText
{
    public static string Describe(ConsistencyCase @case, string indent = "  ")
    {
        var graph = @case.Graph;
        var text = new StringBuilder();
        void Line(string line) => text.Append(indent).AppendLine(line);
        Line($"T0 = {CaseTime.T0:yyyy-MM-ddTHH:mmZ}; instants {string.Join(", ", @case.Instants.Select(i => CaseTime.Describe(i)))}");
        Line($"patients [{string.Join(", ", graph.Patients)}]");
        for (var i = 0; i < @case.Tokens.Count; i++)
        {
            Line($"token #{i}: {@case.Tokens[i]}");
        }
        // Facts that change nothing are left out: unregistered clients without grants, sets nothing names.
        var named = graph.Grants.Select(g => g.Target).Concat(@case.Tokens.SelectMany(t => t.Context))
            .Concat(graph.Consents.SelectMany(c => c.AllProvisions()).Select(p => p.Actor)).ToHashSet();
        foreach (var client in graph.Clients.Where(c => c.Status is not null || graph.Grants.Any(g => g.Principal == c.Principal)))
        {
            Line($"client {client}");
        }
        foreach (var grant in graph.Grants)
        {
            Line($"grant {grant}");
        }
        foreach (var set in graph.Sets.Where(s => s.Members.Count > 0 || named.Contains(s.Reference)))
        {
            Line($"set {set}");
        }
        foreach (var team in graph.CareTeams)
        {
            Line($"care team {team}");
        }
        foreach (var consent in graph.Consents)
        {
            Line(consent.ToString());
        }
        if (@case.Mutations.Count > 0)
        {
            Line($"after the first round: {string.Join("; then ", @case.Mutations.Select(m => m.Describe(graph)))}");
        }
        return text.ToString();
    }
}
