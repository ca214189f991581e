namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// The entitlement walk — which grant reaches which patient — once, as pure functions over a
/// principal's <see cref="EntitlementSnapshot"/> and the <see cref="WalkFacts"/> the grains answered.
/// <see cref="Needs"/> says which facts to ask next (nothing when no grant needs one); the caller asks
/// them and calls again until nothing is needed; <see cref="Evaluate"/> then gives the per-patient
/// access, the reachable set and the privacy profile from the same reach rule
/// (<see cref="Reaches"/>), so Check, the accessible-patients stream and the label/break-the-glass
/// terms can never disagree about what a grant reaches.
/// </summary>
/// <remarks>
/// Access is found in a fixed order: the patient themself, grants to the patient, grants to everyone,
/// then (for the patients still unreached) patient sets, care teams a grant targets, and care teams
/// the principal takes part in. Each set or team is asked once, only while some patient is unreached,
/// and about those patients only (about every touched patient when a privacy-attributed grant also
/// targets it, so the profile needs no second call). An unknown fact reaches nobody.
/// </remarks>
public static class EntitlementWalk
{
    /// <summary>The facts still needed to answer <paramref name="question"/>; empty when the walk can answer.</summary>
    public static WalkAsks Needs(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        Check(question);
        if (question.Access)
        {
            var asks = question.Patients switch
            {
                null => ReachNeeds(snapshot, question, facts),
                { Count: 0 } => NonPatientDataNeeds(snapshot, question, facts),
                _ => AccessNeeds(snapshot, question, facts),
            };
            if (!asks.IsEmpty)
            {
                return asks;
            }
        }
        return question.Profile ? ProfileNeeds(snapshot, question, facts) : WalkAsks.None;
    }

    /// <summary>
    /// Runs the walk to its end: asks <paramref name="fetch"/> for what <see cref="Needs"/> says, adds
    /// the answers to the facts, until nothing is needed; then <see cref="Evaluate"/>. A fetch that
    /// does not answer what was asked fails the walk rather than loop or guess.
    /// </summary>
    public static async Task<WalkResult> RunAsync(
        EntitlementSnapshot snapshot, WalkQuestion question, Func<WalkAsks, WalkFacts, Task<WalkFacts>> fetch)
    {
        var facts = WalkFacts.None;
        while (Needs(snapshot, question, facts) is { IsEmpty: false } asks)
        {
            facts = await fetch(asks, facts);
            if (!facts.Answers(asks))
            {
                throw new InvalidOperationException("the entitlement walk's facts do not answer what it asked");
            }
        }
        return Evaluate(snapshot, question, facts);
    }

    /// <summary>Like <see cref="RunAsync"/>, with facts answered on the spot (snapshots of the sets and teams).</summary>
    public static WalkResult Run(EntitlementSnapshot snapshot, WalkQuestion question, Func<WalkAsks, WalkFacts, WalkFacts> fetch)
    {
        var facts = WalkFacts.None;
        while (Needs(snapshot, question, facts) is { IsEmpty: false } asks)
        {
            facts = fetch(asks, facts);
            if (!facts.Answers(asks))
            {
                throw new InvalidOperationException("the entitlement walk's facts do not answer what it asked");
            }
        }
        return Evaluate(snapshot, question, facts);
    }

    /// <summary>The answers from the facts at hand (an unknown fact reaches nobody).</summary>
    public static WalkResult Evaluate(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        Check(question);
        IReadOnlyList<PatientReach> patients = [];
        ReachablePatients? reach = null;
        if (question.Access)
        {
            switch (question.Patients)
            {
                case null:
                    reach = Reachable(snapshot, question, facts);
                    break;
                case { Count: 0 }:
                    patients = [NonPatientData(snapshot, question, facts)];
                    break;
                default:
                    var reached = Access(snapshot, question, facts, out _);
                    patients = [.. question.Patients.Select(p => reached.TryGetValue(p, out var access)
                        ? access
                        : new PatientReach(p, null, $"no effective grant gives {snapshot.Principal} '{question.Required.ToLetters()}' on Patient/{p}"))];
                    break;
            }
        }
        return question.Profile
            ? new WalkResult(patients, reach, Privacy(snapshot, question, facts), CareTeamsInForce(snapshot, facts))
            : new WalkResult(patients, reach, PrivacyProfile.Default, []);
    }

    /// <summary>
    /// Whether a grant's target reaches the patient, by the facts: null when the fact it depends on
    /// was not asked. The one reach rule every answer of the walk uses.
    /// </summary>
    public static bool? Reaches(GrantTarget target, string patient, WalkFacts facts) => target switch
    {
        GrantTarget.EveryoneTarget => true,
        GrantTarget.Patient direct => direct.Id == patient,
        GrantTarget.Group or GrantTarget.Organization => facts.Member(target, patient),
        GrantTarget.CareTeam team => facts.TeamSubjects.TryGetValue(team.Id, out var subject) ? subject == patient : null,
        _ => false,
    };

    /// <summary>A way to reach patients other than a grant to the patient or to everyone, in the order it is tried.</summary>
    private sealed record Path(Grant? Grant, GrantTarget? Target, string? ParticipantTeam);

    private static void Check(WalkQuestion question)
    {
        // No actions would be covered by every grant: a caller that lost the actions must not reach anyone.
        if (question.Required == DataActions.None || (question.Required & ~DataActions.All) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(question), question.Required, "the required actions must be a non-empty subset of cruds");
        }
    }

    private static bool ParticipantsMay(WalkQuestion question) => (question.Required & ~CareTeamEntitlement.ParticipantActions) == 0;

    /// <summary>Sets, then teams granted, then teams taken part in; each set and team once, by its first grant.</summary>
    private static IEnumerable<Path> Paths(EntitlementSnapshot snapshot, WalkQuestion question)
    {
        var applicable = snapshot.Grants.Broad.Where(question.Applies).ToList();
        foreach (var grant in applicable.Where(g => g.Target.IsPatientSet).DistinctBy(g => g.Target))
        {
            yield return new Path(grant, grant.Target, null);
        }
        foreach (var grant in applicable.Where(g => g.Target is GrantTarget.CareTeam).DistinctBy(g => g.Target))
        {
            yield return new Path(grant, grant.Target, null);
        }
        if (ParticipantsMay(question))
        {
            foreach (var team in snapshot.CareTeams.Order(StringComparer.Ordinal))
            {
                yield return new Path(null, null, team);
            }
        }
    }

    private static bool? PathReaches(Path path, string patient, WalkFacts facts) =>
        path.ParticipantTeam is { } team
            ? facts.Participations.TryGetValue(team, out var subject) ? subject == patient : null
            : Reaches(path.Target!, patient, facts);

    private static PatientReach Explain(EntitlementSnapshot snapshot, Path path, string patient) => path switch
    {
        { ParticipantTeam: { } team } => new PatientReach(patient, Guid.Empty,
            $"{snapshot.Principal} takes part in active CareTeam/{team} whose subject is Patient/{patient}"),
        { Target: GrantTarget.CareTeam team } => new PatientReach(patient, path.Grant!.Id,
            $"{path.Grant.Describe()} reaches Patient/{patient}, the subject of {team}"),
        _ => new PatientReach(patient, path.Grant!.Id, $"{path.Grant.Describe()} reaches Patient/{patient}, a member of {path.Target}"),
    };

    /// <summary>
    /// What reaches each touched patient, path by path while some are unreached. With
    /// <paramref name="missing"/>: the first path whose fact is unknown for a patient still unreached
    /// (the walk stops there: what it needs next); without it, unknown reaches nobody.
    /// </summary>
    private static Dictionary<string, PatientReach> Access(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts, out Path? missing)
    {
        missing = null;
        var reached = new Dictionary<string, PatientReach>(StringComparer.Ordinal);
        var everyone = snapshot.Grants.Broad.FirstOrDefault(g => g.Target is GrantTarget.EveryoneTarget && question.Applies(g));
        var touched = question.Touched();
        foreach (var patient in touched)
        {
            if (Direct(snapshot, question, patient, everyone) is { } access)
            {
                reached[patient] = access;
            }
        }
        foreach (var path in Paths(snapshot, question))
        {
            var pending = touched.Where(p => !reached.ContainsKey(p)).ToList();
            if (pending.Count == 0)
            {
                break;
            }
            if (pending.Any(p => PathReaches(path, p, facts) is null))
            {
                missing = path;
                break;
            }
            foreach (var patient in pending.Where(p => PathReaches(path, p, facts) == true))
            {
                reached[patient] = Explain(snapshot, path, patient);
            }
        }
        return reached;
    }

    private static PatientReach? Direct(EntitlementSnapshot snapshot, WalkQuestion question, string patient, Grant? everyone)
    {
        // A patient using a portal is entitled to their own compartment, with no grant needed.
        if (snapshot.Principal.IsPatientUser(patient))
        {
            return new PatientReach(patient, Guid.Empty, $"{snapshot.Principal} is the patient: own compartment");
        }
        var grant = snapshot.Grants.ToPatient(patient).FirstOrDefault(question.Applies) ?? everyone;
        return grant is null ? null : new PatientReach(patient, grant.Id, $"{grant.Describe()} reaches Patient/{patient}");
    }

    private static WalkAsks AccessNeeds(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        var reached = Access(snapshot, question, facts, out var missing);
        switch (missing)
        {
            case null:
                return WalkAsks.None;
            case { ParticipantTeam: { } team }:
                return new WalkAsks([], [], [team]);
            case { Target: GrantTarget.CareTeam team }:
                return new WalkAsks([], [team.Id], []);
        }
        var set = missing.Target!;
        // The profile will need this set's answer about every touched patient: ask once for all of them.
        var forProfile = question.Profile && PrivacyGrants(snapshot, question).Any(g => g.Target == set);
        var among = question.Touched().Where(p => forProfile || !reached.ContainsKey(p)).ToList();
        return new WalkAsks([new SetAsk(set, among)], [], []);
    }

    /// <summary>
    /// Data in no patient's compartment (a Practitioner, an Organization, a Medication): the principal
    /// must hold some effective grant for the actions, or — to read and search it only — be a patient
    /// user or a care-team member. Changing shared data always takes a grant.
    /// </summary>
    private static PatientReach NonPatientData(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        var principal = snapshot.Principal;
        var letters = question.Required.ToLetters();
        var grant = snapshot.Grants.All.FirstOrDefault(question.Applies);
        // A care-team member counts only while some team confirms they take part.
        var permitted = grant is not null
            || (ReadsOnly(question) && (principal.IsPatient || facts.Participations.Values.Any(s => s is not null)));
        var explanation = grant is not null
            ? $"not patient data; {grant.Describe()} entitles {principal} to '{letters}'"
            : permitted
                ? $"not patient data; {principal} is a patient user or care-team member"
                : $"not patient data, and {principal} holds no effective grant for '{letters}'";
        return new PatientReach("", permitted ? grant?.Id ?? Guid.Empty : null, explanation);
    }

    private static bool ReadsOnly(WalkQuestion question) => (question.Required & ~(DataActions.Read | DataActions.Search)) == 0;

    private static WalkAsks NonPatientDataNeeds(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts) =>
        snapshot.Grants.All.Any(question.Applies) || !ReadsOnly(question) || snapshot.Principal.IsPatient
            ? WalkAsks.None
            : new WalkAsks([], [], UnaskedParticipations(snapshot, facts));

    /// <summary>
    /// Every patient the principal reaches: their own compartment (a patient user), direct grants,
    /// set members, care-team subjects (of teams a grant targets, and of teams the principal takes
    /// part in at the instant). A grant to everyone short-circuits.
    /// </summary>
    private static ReachablePatients Reachable(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        var applicable = snapshot.Grants.All.Where(question.Applies).ToList();
        if (applicable.Any(g => g.Target is GrantTarget.EveryoneTarget))
        {
            return ReachablePatients.Everyone;
        }
        var principal = snapshot.Principal;
        var patients = new HashSet<string>(StringComparer.Ordinal);
        var sets = new List<string>();
        if (principal.IsPatient)
        {
            patients.Add(principal.Id);
            sets.Add($"{principal}#self");
        }
        var direct = applicable.Select(g => g.Target).OfType<GrantTarget.Patient>().ToList();
        if (direct.Count > 0)
        {
            patients.UnionWith(direct.Select(t => t.Id));
            sets.Add($"{principal}#panel");
        }
        foreach (var set in applicable.Select(g => g.Target).Where(t => t.IsPatientSet).Distinct())
        {
            if (facts.Sets.TryGetValue(set, out var fact) && fact.Among is null)
            {
                patients.UnionWith(fact.Members);
            }
            sets.Add(set.ToString());
        }
        foreach (var team in GrantedTeams(applicable))
        {
            if (facts.TeamSubjects.GetValueOrDefault(team) is { } subject)
            {
                patients.Add(subject);
                sets.Add($"CareTeam/{team}");
            }
        }
        if (ParticipantsMay(question))
        {
            foreach (var team in snapshot.CareTeams.Order(StringComparer.Ordinal).Where(t => !sets.Contains($"CareTeam/{t}")))
            {
                if (facts.Participations.GetValueOrDefault(team) is { } subject)
                {
                    patients.Add(subject);
                    sets.Add($"CareTeam/{team}");
                }
            }
        }
        return new ReachablePatients(false, [.. patients.Order(StringComparer.Ordinal)], sets);
    }

    private static IEnumerable<string> GrantedTeams(IEnumerable<Grant> applicable) =>
        applicable.Select(g => g.Target).OfType<GrantTarget.CareTeam>().Select(t => t.Id).Distinct(StringComparer.Ordinal);

    private static WalkAsks ReachNeeds(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        var applicable = snapshot.Grants.All.Where(question.Applies).ToList();
        if (applicable.Any(g => g.Target is GrantTarget.EveryoneTarget))
        {
            return WalkAsks.None;
        }
        var sets = applicable.Select(g => g.Target).Where(t => t.IsPatientSet).Distinct()
            .Where(t => !(facts.Sets.TryGetValue(t, out var fact) && fact.Among is null))
            .Select(t => new SetAsk(t, null)).ToList();
        var granted = GrantedTeams(applicable).ToList();
        var teams = granted.Where(t => !facts.TeamSubjects.ContainsKey(t)).ToList();
        // A team granted whose subject is in force already counts; taking part in it is asked only when it is not.
        var participations = ParticipantsMay(question)
            ? snapshot.CareTeams.Order(StringComparer.Ordinal)
                .Where(t => !facts.Participations.ContainsKey(t))
                .Where(t => !granted.Contains(t) || (facts.TeamSubjects.TryGetValue(t, out var subject) && subject is null))
                .ToList()
            : [];
        return new WalkAsks(sets, teams, participations);
    }

    /// <summary>The privacy-attributed grants that cover the question: the only ones a profile depends on.</summary>
    private static List<Grant> PrivacyGrants(EntitlementSnapshot snapshot, WalkQuestion question) =>
        [.. snapshot.Grants.WithPrivacyAttributes.Where(question.Applies)];

    /// <summary>
    /// The profile about the touched patients (for every patient: only grants to everyone reach them
    /// all): each patient's from the privacy-attributed grants that reach that patient, combined by
    /// <see cref="PrivacyProfile.Common"/>. A grant's clearance never counts for a patient it does not reach.
    /// </summary>
    private static PrivacyProfile Privacy(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        var covering = PrivacyGrants(snapshot, question);
        if (covering.Count == 0)
        {
            return PrivacyProfile.Default;
        }
        var everyone = PrivacyProfile.Of(covering.Where(g => g.Target is GrantTarget.EveryoneTarget));
        if (question.Patients is null)
        {
            return everyone;
        }
        var perPatient = question.Touched()
            .Select(p => PrivacyProfile.Of(covering.Where(g => Reaches(g.Target, p, facts) == true)))
            .ToList();
        return PrivacyProfile.Common(perPatient, everyone);
    }

    private static IReadOnlyList<string> CareTeamsInForce(EntitlementSnapshot snapshot, WalkFacts facts) =>
        [.. snapshot.CareTeams.Order(StringComparer.Ordinal).Where(t => facts.Participations.GetValueOrDefault(t) is not null)];

    private static WalkAsks ProfileNeeds(EntitlementSnapshot snapshot, WalkQuestion question, WalkFacts facts)
    {
        var participations = UnaskedParticipations(snapshot, facts);
        var touched = question.Touched();
        if (question.Patients is null || touched.Count == 0)
        {
            return new WalkAsks([], [], participations);
        }
        var covering = PrivacyGrants(snapshot, question);
        var sets = covering.Select(g => g.Target).Where(t => t.IsPatientSet).Distinct()
            .Where(t => !(facts.Sets.TryGetValue(t, out var fact) && fact.Covers(touched)))
            .Select(t => new SetAsk(t, touched)).ToList();
        var teams = GrantedTeams(covering).Where(t => !facts.TeamSubjects.ContainsKey(t)).ToList();
        return new WalkAsks(sets, teams, participations);
    }

    private static List<string> UnaskedParticipations(EntitlementSnapshot snapshot, WalkFacts facts) =>
        [.. snapshot.CareTeams.Order(StringComparer.Ordinal).Where(t => !facts.Participations.ContainsKey(t))];
}
