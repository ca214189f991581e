using Hl7.Fhir.Model;
using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Compartments;
using PermissionLayer.Gateway.Fhir;

namespace PermissionLayer.Gateway.Search;

/// <summary>
/// The obligation of a permitted search, written into the upstream query: the patient restriction
/// as <c>patient=</c> (or <c>subject=</c>, <c>_id</c> for Patient) lists chunked to a bounded URL,
/// <c>_security:not</c> for each excluded label, and the scope's granular constraints. What the
/// query cannot express is left to the check of every returned entry, never to trust.
/// </summary>
/// <param name="Chunks">The first-page upstream URL (path and query) of each chunk, searched in order.</param>
public sealed record UpstreamSearchPlan(IReadOnlyList<string> Chunks)
{
    public static UpstreamSearchPlan For(
        string resourceType, QueryParameters clientQuery, SearchObligation? obligation, int pageSize, int maxUrlLength, int upstreamBaseLength,
        IReadOnlyCollection<string> labelSystems)
    {
        if (obligation is null)
        {
            throw GatewayRefusal.Forbidden("the search was permitted without an obligation; refused", "obligation.missing");
        }
        var extra = new List<string>();
        var branches = obligation.AnyOf;
        // One FHIR query ANDs its parameters; an OR of branches with different constraints cannot be
        // written into one, so it is then left to the check of each result (which applies it exactly).
        if (branches.Count > 0 && branches.All(b => SameConstraints(b, branches[0])))
        {
            foreach (var constraint in branches[0].AllOf)
            {
                extra.Add(Uri.EscapeDataString(constraint.Parameter).Replace("%3A", ":", StringComparison.Ordinal) + "="
                    + string.Join(",", constraint.AnyOf.Select(EscapeValue)));
            }
        }
        // The obligation lists each label in every system spelling HL7 has used (about 200 entries);
        // only the spellings the upstream's data uses are worth its URL. Labels in other spellings,
        // and all of them when even those do not fit, are left to the check of each result.
        var labels = obligation.ExcludedSecurityLabels
            .Where(l => l.LastIndexOf('|') is var bar and > 0 && labelSystems.Contains(l[..bar]))
            .Select(l => "_security:not=" + EscapeValue(l)).ToList();
        var patientIds = PatientIds(obligation, branches);
        string Head(IEnumerable<string> parameters) =>
            $"{resourceType}?" + string.Join('&', new[] { clientQuery.ToString() }.Concat(parameters).Append($"_count={pageSize}").Where(p => p.Length > 0));
        var head = Head(extra.Concat(labels));
        if (upstreamBaseLength + head.Length > maxUrlLength / 2)
        {
            head = Head(extra);
        }
        if (patientIds is null)
        {
            return new UpstreamSearchPlan([head]);
        }
        if (patientIds.Count == 0)
        {
            return new UpstreamSearchPlan([]);
        }
        var parameter = PatientParameter(resourceType);
        if (parameter is null)
        {
            // The type names no patient search parameter: every result is still checked one by one.
            return new UpstreamSearchPlan([head]);
        }
        var values = patientIds.Select(id => parameter == "_id" ? id : "Patient/" + id).Select(EscapeValue).ToList();
        var budget = maxUrlLength - upstreamBaseLength - head.Length - parameter.Length - 2;
        if (values.Any(v => v.Length > budget))
        {
            throw GatewayRefusal.Forbidden(
                "the confined search does not fit the FHIR server's URL bound (Gateway:Search:MaxUpstreamUrlLength); refused", "search.too-long");
        }
        var chunks = new List<string>();
        var current = new List<string>();
        var length = 0;
        foreach (var value in values)
        {
            if (current.Count > 0 && length + 1 + value.Length > budget)
            {
                chunks.Add($"{head}&{parameter}={string.Join(",", current)}");
                current.Clear();
                length = 0;
            }
            length += (current.Count > 0 ? 1 : 0) + value.Length;
            current.Add(value);
        }
        chunks.Add($"{head}&{parameter}={string.Join(",", current)}");
        return new UpstreamSearchPlan(chunks);
    }

    /// <summary>The patients the search is confined to, or null when it reaches every patient.</summary>
    private static IReadOnlyList<string>? PatientIds(SearchObligation obligation, IReadOnlyList<FilterBranch> branches)
    {
        var restriction = obligation.Patients;
        IReadOnlyList<string>? ids = null;
        if (restriction is not null && !restriction.AllPatients)
        {
            if (!restriction.Complete)
            {
                // The list is a first page of a larger set (StreamAccessiblePatients); this gateway does not page it yet.
                throw GatewayRefusal.Forbidden(
                    "the search reaches more patients than the decision listed; name the patients in the search", "search.patients-incomplete");
            }
            ids = [.. restriction.PatientIds];
        }
        // A patient/ scope confines each branch to its launch patient; with one patient for all branches, say so upstream.
        var compartments = branches.Select(b => b.CompartmentPatient).Distinct().ToList();
        if (compartments.Count == 1 && compartments[0] is { Length: > 0 } launch)
        {
            ids = ids is null ? [launch] : [.. ids.Where(i => i == launch)];
        }
        if (restriction is null && ids is null)
        {
            throw GatewayRefusal.Forbidden("the search was permitted without a patient restriction; refused", "obligation.missing");
        }
        return ids;
    }

    private static bool SameConstraints(FilterBranch a, FilterBranch b) =>
        a.AllOf.Count == b.AllOf.Count && a.AllOf.Zip(b.AllOf).All(p => p.First.Equals(p.Second));

    /// <summary>The search parameter that names a resource's patient, for the R4 Patient compartment.</summary>
    public static string? PatientParameter(string resourceType)
    {
        if (resourceType == "Patient")
        {
            return "_id";
        }
        if (!PatientCompartment.R4.Contains(resourceType))
        {
            return null;
        }
        var names = ModelInfo.SearchParameters.Where(p => p.Resource == resourceType).Select(p => p.Name).ToHashSet();
        var compartment = PatientCompartment.R4.ParametersOf(resourceType);
        return new[] { "patient", "subject" }.FirstOrDefault(n => names.Contains(n) && compartment.Contains(n));
    }

    /// <summary>A FHIR search value, its commas escaped (FHIR) and then percent-encoded (URL).</summary>
    private static string EscapeValue(string value) => Uri.EscapeDataString(value.Replace("\\", "\\\\").Replace(",", "\\,"));
}
