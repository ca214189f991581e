using PermissionLayer.Server.Tests.Consistency.Model;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// (g) Changes that only take access away (a revoked grant, a removed member or participant, an inactive
/// care team), asked about at the same instant, never turn a DENY into a PERMIT, never add a patient to
/// StreamAccessiblePatients and never add a WhoCanSee path. One exception by the documented semantics:
/// a care team is also a consent actor (CONSENT.md), so leaving a team a consent's deny provision names
/// may lift that deny; when a case's consents name a changed team, Check and the stream are not compared.
/// </summary>
internal static class Monotonicity
{
    public const string ChecksNarrow = "g. taking access away never turns a DENY into a PERMIT";
    public const string StreamNarrows = "g. taking access away never adds a patient to StreamAccessiblePatients";
    public const string PathsNarrow = "g. taking access away never adds a WhoCanSee path";

    public static IEnumerable<Violation> Check(CaseContext before, CaseContext after)
    {
        var graph = before.Model.Graph;
        var teamsNamedByConsents = graph.Consents.SelectMany(c => c.AllProvisions()).Select(p => p.Actor).OfType<string>().ToHashSet();
        var actorsChanged = before.Loaded.Case.Mutations.Any(m => m.Kind is MutationKind.RemoveParticipant or MutationKind.DeactivateCareTeam
            && teamsNamedByConsents.Contains($"CareTeam/{m.Target}"));
        if (!actorsChanged)
        {
            foreach (var (key, answer) in after.Answers.Checks)
            {
                var earlier = before.Answers.Checks[key];
                if (after.Premise(ChecksNarrow, !earlier.Permitted) && answer.Permitted)
                {
                    yield return after.Violation(ChecksNarrow, key.Probe.ToString(), key.Token, key.Patient ?? "-",
                        $"{key}: still DENY, as before the changes ({earlier})", $"now {answer}");
                }
            }
            foreach (var token in after.Tokens)
            {
                var earlier = before.StreamAccessible(token);
                foreach (var patient in after.StreamAccessible(token).Where(p => !earlier.Contains(p)))
                {
                    yield return after.Violation(StreamNarrows, "stream grew", token, patient,
                        $"no patient added to {before.Answers.Streams[token]}", $"now {after.Answers.Streams[token]}");
                }
                after.Premise(StreamNarrows);
            }
        }
        foreach (var patient in after.Patients)
        {
            var earlier = Paths(before, patient);
            after.Premise(PathsNarrow);
            foreach (var path in Paths(after, patient).Where(p => !earlier.Contains(p)))
            {
                yield return after.Violation(PathsNarrow, "path added", -1, patient,
                    $"only paths listed before the changes: {string.Join("; ", earlier)}", $"new path {path}");
            }
        }
    }

    private static HashSet<string> Paths(CaseContext c, string patient) =>
        [.. c.Answers.Access[patient].Select(p => (Principal: c.Names.LocalReference(p.Principal), p))
            .Where(p => p.Principal is not null)
            .Select(p => $"{p.Principal} via {c.Names.LocalReference(p.p.Via) ?? p.p.Via} {p.p.Actions}")];
}
