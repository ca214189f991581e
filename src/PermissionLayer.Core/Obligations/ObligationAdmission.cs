using PermissionLayer.Core.Compartments;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Core.Labels;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Requests;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Obligations;

/// <summary>
/// The result-level rule of a search obligation, the one function a PEP, gateway or client library
/// applies to each result (<c>PermissionLayer.Client</c> calls it for .NET PEPs): a result is admitted
/// only when every term a read of it by the same token would ask is answered by the obligation's data
/// and answered yes. Whatever the data cannot answer is <see cref="AdmissionOutcome.NeedsCheck"/>
/// (decide that result with CheckBatch as a read), never an admission.
/// </summary>
/// <remarks>
/// A read asks, and so does this, in the order of the request contract and the terms: the result's
/// identity and whose data it is (unresolvable patient references, a compartment type naming no
/// patient); the scopes (a branch: type, launch patient's compartment, constraints); the entitlement
/// and consent terms for <em>every</em> patient the result concerns — its compartment elements, any
/// other reference to a Patient (performer, focus), the patients of the resources it carries — which
/// the obligation's patient restriction speaks for, since the decision screened those patients; the
/// consent term for carried resources' types, which the decision could not fold into the restriction;
/// and the label term, with the clearance itself rather than only the labels a filter can list.
/// </remarks>
public static class ObligationAdmission
{
    public static Admission Admit(ResultObligation obligation, string resourceType, ResourceFacts facts)
    {
        if (obligation.ResultsNeedCheck)
        {
            return Admission.Check("result.needs-check", "the obligation cannot express every restriction as data: check each result as a read");
        }
        return Identity(resourceType, facts)
            ?? Scopes(obligation.Filter, resourceType, facts)
            ?? Patients(obligation.Patients, facts)
            ?? Carried(obligation, facts)
            ?? Labels(obligation, facts)
            ?? Admission.Admitted;
    }

    /// <summary>The request contract of a read of the result: which resource it is and whose data.</summary>
    private static Admission? Identity(string resourceType, ResourceFacts facts)
    {
        if (facts.Reference is { } reference && !reference.StartsWith(resourceType + "/", StringComparison.Ordinal))
        {
            return Admission.Deny("result.reference", $"the facts are of another resource than a {resourceType}");
        }
        if (facts.Patients.FirstOrDefault(p => !FhirReference.IsId(p)) is not null)
        {
            return Admission.Deny("result.patient-id", "a patient of the result is not a FHIR id (without \"Patient/\")");
        }
        // A Patient is in its own compartment, as a read's request contract insists: without its own id
        // among its patients, a Patient that only links to an admitted patient would pass as theirs.
        if (resourceType == "Patient")
        {
            if (facts.Reference is not { } own)
            {
                return Admission.Deny("result.reference", "a Patient result must state its reference (Patient/id): whose record it is decides");
            }
            if (!facts.Patients.Contains(own["Patient/".Length..], StringComparer.Ordinal))
            {
                return Admission.Deny("result.patients", "a Patient is in its own compartment: its facts must list its own id");
            }
        }
        var read = new DecisionRequest
        {
            Token = new TokenContext { ClientId = "", Scope = "" },
            Interaction = Interaction.Read,
            ResourceType = resourceType,
            Stored = facts,
        };
        return RequestContract.CompartmentUnknown(read) is { } unknown ? Admission.Deny(unknown.Code, UserSafeMessage.Of(unknown)) : null;
    }

    /// <summary>The scope term: the result's type, and one branch (type, launch patient's compartment, constraints) it fits.</summary>
    private static Admission? Scopes(SearchFilter filter, string resourceType, ResourceFacts facts)
    {
        if (resourceType == ResourceScope.AnyType || string.IsNullOrEmpty(resourceType))
        {
            return Admission.Deny("result.type", "a result has a concrete resource type");
        }
        if (filter.Types is { } types && !types.Contains(resourceType, StringComparer.Ordinal))
        {
            return Admission.Deny("result.type", $"{resourceType} is outside the search's type restriction");
        }
        return filter.AnyOf.Any(b => Fits(b, resourceType, facts)) ? null
            : Admission.Deny("result.no-branch", "the result fits no branch of the filter (type, launch patient's compartment, constraints)");
    }

    /// <summary>As a read checks one scope (<see cref="InstanceCheck"/>): a patient/ branch needs the launch patient's compartment.</summary>
    private static bool Fits(SearchFilterBranch branch, string resourceType, ResourceFacts facts) =>
        (branch.ResourceType == ResourceScope.AnyType || branch.ResourceType == resourceType)
        && (branch.CompartmentPatient is not { } launch
            || (PatientCompartment.R4.Contains(resourceType) ? facts.Patients.Contains(launch, StringComparer.Ordinal) : PatientCompartment.SharedTypes.Contains(resourceType)))
        && branch.AllOf.All(c => ConstraintMatch.Matches(c, facts));

    /// <summary>Every patient the result concerns must be admitted, not only its compartment patient.</summary>
    private static Admission? Patients(ResultPatients patients, ResourceFacts facts)
    {
        var unknown = false;
        foreach (var patient in facts.Patients)
        {
            switch (patients.Admits(patient))
            {
                case false:
                    return Admission.Deny("result.patient-not-admitted", "the result concerns a patient the search may not return");
                case null:
                    unknown = true;
                    break;
            }
        }
        return unknown
            ? Admission.Check("result.patients-unknown", "the obligation's inline patient lists are incomplete: join the restriction, or check the result")
            : null;
    }

    /// <summary>A consent may withhold a type carried inside the result, which the decision could only flag by patient.</summary>
    private static Admission? Carried(ResultObligation obligation, ResourceFacts facts) =>
        facts.CarriedTypes.Count > 0 && (obligation.CarriedCheckAll || facts.Patients.Any(obligation.CarriedCheckPatients.Contains))
            ? Admission.Check("result.carried-check", "the result carries resources a patient's consent may withhold: check it as a read")
            : null;

    /// <summary>
    /// The label term as a read asks it: facts that may not list every label cannot be judged; the
    /// labels must be within the clearance (codes no filter can list included), and none may be one a
    /// consent withholds, compared by canonical system (a label without a system may be any).
    /// </summary>
    private static Admission? Labels(ResultObligation obligation, ResourceFacts facts)
    {
        if (!facts.Complete)
        {
            return Admission.Check("labels.unknown", "the facts do not say they list every label of the result: check it with its FHIR JSON");
        }
        if (obligation.Clearance is { } clearance && LabelPolicy.Evaluate(facts.Security, clearance) is { Outcome: Outcome.Deny } uncleared)
        {
            return Admission.Deny(uncleared.Code, UserSafeMessage.Of(uncleared));
        }
        var excluded = obligation.ExcludedLabels.Select(Token.Parse).ToList();
        return facts.Security.Any(label => excluded.Any(e => SameLabel(e, label)))
            ? Admission.Deny("labels.excluded", "the result carries a security label the search must exclude")
            : null;
    }

    private static bool SameLabel(Token excluded, Token label) =>
        // A label without a code may be any of the system's.
        (excluded.Code == label.Code || label.Code.Length == 0)
        && (CodeSystemAliases.HasNoSystem(excluded) || CodeSystemAliases.HasNoSystem(label)
            || CodeSystemAliases.Canonical(excluded.System) == CodeSystemAliases.Canonical(label.System));
}
