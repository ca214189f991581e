using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Requests;

/// <summary>
/// What each interaction must carry before it can be decided (README, "Request contract"). A request
/// that lacks a part, or whose parts contradict each other, is rejected naming the part: deciding it
/// would mean guessing, and a guess can only widen access.
/// </summary>
public static class RequestContract
{
    /// <summary>Throws <see cref="RequestValidationException"/> naming the first missing or contradictory part.</summary>
    public static void Enforce(DecisionRequest request)
    {
        var needs = StatesOf(request.Interaction);
        if (needs.ConcreteType && request.ResourceType == ResourceScope.AnyType)
        {
            throw new RequestValidationException("resource_type",
                $"is required for {request.Interaction.ToName()}: '*' or empty is only for system-level search, history and operations");
        }
        if (needs.AnyType && request.ResourceType != ResourceScope.AnyType)
        {
            // The type would limit the grant's type check and the consent's class, while the search
            // returns every type: "Observation" here would decide a search of all types as one of Observations.
            throw new RequestValidationException("resource_type",
                $"must be '*' or empty for {request.Interaction.ToName()} (it spans every type; for one type use the type-level interaction)");
        }
        if (request.Interaction != Interaction.Operation && !string.IsNullOrEmpty(request.Operation))
        {
            throw new RequestValidationException("operation",
                $"is only for interaction OPERATION, not {request.Interaction.ToName()}: an operation is checked as what it does");
        }
        if (needs.Id && request.ResourceId is null)
        {
            throw new RequestValidationException("resource_id", $"is required for {request.Interaction.ToName()}");
        }
        if (request.StoredAbsent && request.Interaction != Interaction.Update)
        {
            throw new RequestValidationException("stored.absent", "is only for an update that creates the resource (update-as-create)");
        }
        if (needs.Stored && request.Stored is null && !request.StoredAbsent)
        {
            throw new RequestValidationException("stored",
                $"is required for {request.Interaction.ToName()}: the decision checks the resource as it is stored" +
                (request.Interaction == Interaction.Update ? " (for update-as-create send stored.absent = true)" : ""));
        }
        if (request.Interaction == Interaction.HistoryInstance && request.Stored is { AllVersions: false })
        {
            throw new RequestValidationException("stored.facts.all_versions",
                "must be true for HISTORY_INSTANCE: a history returns every version, so stored must be facts that are the union of all of them (FHIR JSON is one version)");
        }
        if (needs.Proposed && request.Proposed is null)
        {
            throw new RequestValidationException("proposed", $"is required for {request.Interaction.ToName()}: the decision checks the new state");
        }
        if (request.Interaction == Interaction.Operation && string.IsNullOrEmpty(request.Operation))
        {
            throw new RequestValidationException("operation", "is required for an operation interaction (e.g. \"$everything\")");
        }
        if (request.IsConditionalWrite && string.IsNullOrWhiteSpace(request.Query))
        {
            throw new RequestValidationException("query",
                $"is required for a conditional {request.Interaction.ToName()}: its criteria select what it matches, and are checked as a search");
        }
        if ((request.Interaction is Interaction.SearchType or Interaction.SearchSystem or Interaction.HistoryType or Interaction.HistorySystem
                || request.IsConditionalWrite)
            && SearchQuery.Parse(request.Query).PatientValues(request.ResourceType).FirstOrDefault(p => !References.FhirReference.IsId(p)) is { } odd)
        {
            // A search is checked for the patients it names: one spelled so that it names no known
            // patient would be checked for nobody while the FHIR server may still match it.
            throw new RequestValidationException("query", $"'{Quote.Short(odd)}' is not a patient id");
        }
        CheckIdentity(request, request.Stored, "stored");
        if (request.Interaction != Interaction.Create)
        {
            CheckIdentity(request, request.Proposed, "proposed");
        }
    }

    /// <summary>
    /// A resource state must be the resource the request names: a Patient is in its own compartment,
    /// and a stated reference must be <c>resource_type/resource_id</c>.
    /// </summary>
    private static void CheckIdentity(DecisionRequest request, ResourceFacts? facts, string field)
    {
        if (facts is null || request.ResourceType == ResourceScope.AnyType)
        {
            return;
        }
        if (facts.Reference is { } reference)
        {
            var expectedType = reference[..Math.Max(reference.IndexOf('/'), 0)];
            if (expectedType != request.ResourceType || (request.ResourceId is { } id && reference != $"{request.ResourceType}/{id}"))
            {
                throw new RequestValidationException($"{field}.reference",
                    $"'{Quote.Short(reference)}' is not the resource the request names ({request.ResourceType}/{request.ResourceId ?? "…"})");
            }
        }
        if (request.ResourceType == "Patient" && request.ResourceId is { } patient && !facts.Patients.Contains(patient))
        {
            throw new RequestValidationException($"{field}.patients",
                $"a Patient is in its own compartment: the facts of Patient/{patient} must list '{patient}'");
        }
    }

    private readonly record struct Needs(bool ConcreteType, bool Id, bool Stored, bool Proposed, bool AnyType = false);

    private static Needs StatesOf(Interaction interaction) => interaction switch
    {
        Interaction.Read or Interaction.VRead or Interaction.HistoryInstance or Interaction.Delete => new(true, true, true, false),
        Interaction.Update or Interaction.Patch => new(true, true, true, true),
        Interaction.Create => new(true, false, false, true),
        Interaction.SearchType or Interaction.HistoryType => new(true, false, false, false),
        Interaction.SearchSystem or Interaction.HistorySystem => new(false, false, false, false, AnyType: true),
        _ => new(false, false, false, false),
    };

    /// <summary>
    /// Why the request cannot be decided from what it carries, as a DENY that says so: whose data it is
    /// is unknown (<see cref="CompartmentUnknown"/>), or a search filters on data no term checks.
    /// </summary>
    public static Decisions.DecisionReason? Undecidable(DecisionRequest request) =>
        CompartmentUnknown(request) ?? ReverseChained(request);

    /// <summary>
    /// Search parameters that select results by another resource's data, which neither the scope,
    /// consent nor label terms see: <c>_has</c> (<c>Patient?_has:Observation:patient:code=…</c> tells which
    /// patients have such an Observation), chains (<c>Encounter?diagnosis:Condition.code=…</c>,
    /// <c>Observation?subject:Patient.name=…</c>: whether an Encounter comes back tells whether a
    /// withheld Condition exists), <c>_filter</c> (which can chain), <c>_query</c> (a named query whose
    /// meaning is unknown here) and <c>_contained</c> (returns contained resources as matches). Denied,
    /// never decided as a plain search of the outer type.
    /// </summary>
    private static Decisions.DecisionReason? ReverseChained(DecisionRequest request)
    {
        if (request.Interaction is not (Interaction.SearchType or Interaction.SearchSystem or Interaction.HistoryType or Interaction.HistorySystem
            or Interaction.Operation) && !request.IsConditionalWrite)
        {
            return null;
        }
        var unchecked_ = SearchQuery.Parse(request.Query).Parameters.FirstOrDefault(p => SelectsByOtherData(p.Key, p.Value)).Key;
        return unchecked_ is null ? null
            : Decisions.DecisionReason.Deny(Decisions.DecisionTerm.Request, "search.reverse-chain",
                $"the search parameter '{Quote.Short(unchecked_)}' selects by another resource's data, which this service cannot check, so the search is denied");
    }

    private static bool SelectsByOtherData(string name, string value)
    {
        var bare = name.Split(':')[0];
        return name.StartsWith("_has", StringComparison.Ordinal)
            || bare is "_filter" or "_query" or "_list"
            || (bare == "_contained" && value != "false")
            || name.Contains('.', StringComparison.Ordinal)
            || (bare == "_typeFilter" && TypeFilterSelectsByOtherData(value));
    }

    /// <summary>
    /// <c>$export</c>'s <c>_typeFilter</c> holds whole queries (<c>Encounter?diagnosis:Condition.code=…</c>,
    /// comma-separated): each is held to the same rule as a search's own parameters.
    /// </summary>
    private static bool TypeFilterSelectsByOtherData(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(q => q.IndexOf('?') is var mark and >= 0 ? q[(mark + 1)..] : "")
            .Any(q => SearchQuery.Parse(q).Parameters.Any(p => SelectsByOtherData(p.Key, p.Value)));

    /// <summary>
    /// For compartment types: each state the interaction checks must name its patients, and every
    /// reference that might name a patient must resolve. Otherwise a DENY that says why — never
    /// "not patient data" (which would let the request past the entitlement and consent terms).
    /// </summary>
    public static Decisions.DecisionReason? CompartmentUnknown(DecisionRequest request)
    {
        if (request.ResourceType == ResourceScope.AnyType)
        {
            return null;
        }
        // Any type may refer to a patient (a Task's for, a Bundle's entries): an unresolvable one counts
        // wherever it is; only compartment types must name a patient.
        var compartmentType = PatientCompartment.R4.Contains(request.ResourceType);
        // A Patient being created has no id yet, so it is in nobody's compartment until it exists.
        var newPatient = request is { ResourceType: "Patient", Interaction: Interaction.Create };
        foreach (var (facts, field) in new[] { (request.Stored, "stored"), (request.Proposed, "proposed") })
        {
            if (facts is null)
            {
                continue;
            }
            if (facts.UnresolvedPatientReferences.Count > 0)
            {
                return Decisions.DecisionReason.Deny(Decisions.DecisionTerm.Request, "compartment.unresolved",
                    $"the {field} {request.ResourceType} refers to a patient this server cannot identify ({string.Join(", ", facts.UnresolvedPatientReferences)}), so whose data it is is unknown");
            }
            if (compartmentType && facts.Patients.Count == 0 && !newPatient)
            {
                return Decisions.DecisionReason.Deny(Decisions.DecisionTerm.Request, "compartment.no-patient",
                    $"{request.ResourceType} belongs in a patient's compartment, and the {field} state names no patient, so whose data it is is unknown");
            }
        }
        return null;
    }
}
