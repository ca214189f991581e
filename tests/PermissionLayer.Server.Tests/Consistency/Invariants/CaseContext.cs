using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Consistency.Model;
using PermissionLayer.Server.Tests.Consistency.Running;

namespace PermissionLayer.Server.Tests.Consistency.Invariants;

/// <summary>
/// What the invariants look at: the loaded case, the graph as it stands in this phase (before or after
/// the case's changes) with its reference model, and the answers of one instant.
/// </summary>
internal sealed class CaseContext(LoadedCase loaded, int phase, InstantAnswers answers)
{
    public ReferenceModel Model { get; } = new(phase == 0 ? loaded.Case.Graph : loaded.Case.GraphAfter);
    public int Phase => phase;
    public LoadedCase Loaded => loaded;
    public CaseNames Names => loaded.Names;
    public InstantAnswers Answers => answers;
    public DateTimeOffset At => answers.At;
    public IReadOnlyList<string> Patients => Model.Graph.Patients;
    public IReadOnlyList<int> Tokens => answers.Tokens;

    /// <summary>
    /// How often each invariant's premise held (a permitted read, an admitted patient, …): an invariant
    /// whose premise never holds checks nothing, and the tally shows it.
    /// </summary>
    public Dictionary<string, int> Premises { get; } = [];

    public bool Premise(string invariant, bool holds = true)
    {
        if (holds)
        {
            Premises[invariant] = Premises.GetValueOrDefault(invariant) + 1;
        }
        return holds;
    }

    public TokenSpec Token(int index) => loaded.Case.Tokens[index];

    public DecisionAnswer Check(int token, Probe probe, string? patient = null, string? label = null) =>
        answers.Checks[new ProbeKey(token, probe, patient, label)];

    public Violation Violation(string invariant, string cause, int token, string patient, string expected, string observed) =>
        new(invariant, cause, token, patient, At, phase, expected, observed);

    /// <summary>The patients StreamAccessiblePatients says the token reaches (an error reaches nobody).</summary>
    public IReadOnlySet<string> StreamAccessible(int token)
    {
        var stream = answers.Streams[token];
        return stream.Error is not null
            ? new HashSet<string>()
            : PatientAdmission.ByIds(stream.AllPatients, stream.PatientIds, stream.ExcludedPatientIds, Patients);
    }

    /// <summary>
    /// The patients a permitted search's obligation admits (ids reading, narrowed by the branches). An
    /// incomplete restriction is read, as decision.proto says, from the stream of the same token.
    /// </summary>
    public IReadOnlySet<string> Admitted(int token, SearchObligation obligation)
    {
        var restriction = obligation.Patients;
        var admitted = restriction.Complete
            ? PatientAdmission.ByIds(restriction.AllPatients, Local(restriction.PatientIds), Local(restriction.ExcludedPatientIds), Patients)
            : StreamAccessible(token);
        return PatientAdmission.ThroughBranches(admitted, [.. obligation.AnyOf], Names);
    }

    /// <summary>Server patient ids in local names; other cases' patients left aside.</summary>
    public IReadOnlyList<string> Local(IEnumerable<string> ids) => [.. ids.Select(Names.LocalId).OfType<string>()];

    /// <summary>Joinable sets in local names; a set of another case keeps its name, marked.</summary>
    public IReadOnlyList<SetUnion> Local(IEnumerable<SetUnion> unions) => [.. unions.Select(u =>
    {
        var local = new SetUnion { Term = u.Term };
        local.Sets.AddRange(u.Sets.Select(s => Names.LocalReference(s) ?? $"{s} (of another case)"));
        return local;
    })];

    /// <summary>A search's patient restriction and branches, for a reader.</summary>
    public string Describe(SearchObligation obligation)
    {
        var restriction = obligation.Patients;
        var ids = restriction.AllPatients ? "all_patients" : $"patient_ids {Describe(Local(restriction.PatientIds))}";
        var excluded = restriction.ExcludedPatientIds.Count == 0 ? "" : $", excluded {Describe(Local(restriction.ExcludedPatientIds))}";
        var sets = string.Join(" ∩ ", Local(restriction.GrantingSets).Select(u => $"{u.Term}:[{string.Join(", ", u.Sets)}]"));
        var branches = string.Join(" | ", obligation.AnyOf.Select(b =>
            b.CompartmentPatient.Length == 0 ? b.Scope : $"{b.Scope} in compartment {Names.LocalId(b.CompartmentPatient) ?? b.CompartmentPatient}"));
        return $"{ids}{excluded}, sets {sets}, branches {branches}{(restriction.Complete ? "" : " (incomplete)")}";
    }

    public static string Describe(IEnumerable<string> patients) => $"[{string.Join(", ", patients.Order(StringComparer.Ordinal))}]";
}
