using PermissionLayer.Server.Tests.Consistency.Model;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// The suite's own, deliberately plain reading of the documented semantics (README, CONSENT.md),
/// computed from the generated graph alone: which grants reach a patient for a request, what they
/// clear, whether break-the-glass may apply, and which patients a joinable set names.
/// </summary>
internal sealed class ReferenceModel(EntitlementGraph graph)
{
    public const string ResourceType = "Observation";

    public EntitlementGraph Graph => graph;

    /// <summary>Whether a grant target reaches the patient at the instant.</summary>
    public bool Reaches(string target, string patient, DateTimeOffset at)
    {
        if (target == "*")
        {
            return true;
        }
        if (target.StartsWith("Patient/", StringComparison.Ordinal))
        {
            return target == $"Patient/{patient}";
        }
        if (target.StartsWith("CareTeam/", StringComparison.Ordinal))
        {
            return graph.CareTeams.Any(t => t.Reference == target && t.InForce(at) && t.Subject == patient);
        }
        return graph.Sets.Any(s => s.Reference == target && s.Contains(patient, at));
    }

    /// <summary>
    /// The holder's grants that reach the patient for this request: in force at the instant, covering
    /// the letters, Observation and the token's purpose, and targeting something that holds the patient.
    /// Only these may lend the request their privacy attributes (issue 13, class 3).
    /// </summary>
    public IReadOnlyList<GrantSpec> Reaching(TokenSpec token, string patient, string letters, DateTimeOffset at) =>
        [.. graph.Grants.Where(g => g.Principal == token.Holder && g.Valid.Covers(at)
            && g.Covers(letters, ResourceType, token.EffectivePurpose) && Reaches(g.Target, patient, at))];

    /// <summary>Whether some of <paramref name="reaching"/> clears data carrying the label (confidentiality is a ceiling: V clears R).</summary>
    public static bool Clears(string label, IReadOnlyList<GrantSpec> reaching) => label switch
    {
        Labels.Restricted => reaching.Any(g => g.Clearance is "R" or "V"),
        Labels.VeryRestricted => reaching.Any(g => g.Clearance is "V"),
        _ => reaching.Any(g => g.Categories.Contains(Labels.Code(label))),
    };

    /// <summary>Break-the-glass applies: a user asks for it (BTG/ETREAT and a reason) and a grant reaching the patient allows it.</summary>
    public static bool BreakGlass(TokenSpec token, IReadOnlyList<GrantSpec> reaching) =>
        token.AsksBreakGlass && token.User is not null && reaching.Any(g => g.BreakGlass);

    public bool HasConsent(string patient) => graph.Consents.Any(c => c.Patient == patient);

    /// <summary>
    /// The README's documented asymmetry (Limits, "Consent for searches"): a provision that restricts by a
    /// sensitivity label makes a search naming the patient permit with the label excluded, while a
    /// search naming no patient (and the stream, "the same screen") leaves the patient out entirely.
    /// </summary>
    public bool HasSensitivityLabelProvision(string patient, DateTimeOffset at) =>
        graph.Consents.Where(c => c.Patient == patient && c.AppliesAt(at))
            .SelectMany(c => c.AllProvisions()).Any(p => p.Label is { } label && Labels.IsSensitivityCategory(label));

    /// <summary>
    /// The patients a joinable set names (decision.proto, SetUnion): a Group or Organization's members,
    /// a care team's subject while it is in force, a principal's panel (its direct grants covering the
    /// request), a patient user's own record, or everyone. Null: the suite does not know the set.
    /// </summary>
    public IReadOnlySet<string>? Members(string set, TokenSpec token, string letters, DateTimeOffset at)
    {
        if (set == "*")
        {
            return graph.Patients.ToHashSet();
        }
        if (set.EndsWith("#self", StringComparison.Ordinal) && set.StartsWith("Patient/", StringComparison.Ordinal))
        {
            return new HashSet<string> { set["Patient/".Length..^"#self".Length] };
        }
        if (set.StartsWith("Patient/", StringComparison.Ordinal) && !set.Contains('#'))
        {
            return new HashSet<string> { set["Patient/".Length..] }; // one patient: a named search, a launch
        }
        if (set.EndsWith("#panel", StringComparison.Ordinal))
        {
            var principal = set[..^"#panel".Length];
            return graph.Grants.Where(g => g.Principal == principal && g.Target.StartsWith("Patient/", StringComparison.Ordinal)
                    && g.Valid.Covers(at) && g.Covers(letters, ResourceType, token.EffectivePurpose))
                .Select(g => g.Target["Patient/".Length..]).ToHashSet();
        }
        if (set.StartsWith("CareTeam/", StringComparison.Ordinal))
        {
            return graph.CareTeams.Where(t => t.Reference == set && t.InForce(at)).Select(t => t.Subject).ToHashSet();
        }
        if (set.StartsWith("Group/", StringComparison.Ordinal) || set.StartsWith("Organization/", StringComparison.Ordinal))
        {
            return graph.Patients.Where(p => graph.Sets.Any(s => s.Reference == set && s.Contains(p, at))).ToHashSet();
        }
        return null;
    }
}
