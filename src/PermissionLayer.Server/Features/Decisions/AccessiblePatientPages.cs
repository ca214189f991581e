using PermissionLayer.Contracts.V1;
using PermissionLayer.Core.Decisions;
using PermissionLayer.Grains.Decisions;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>Cuts an accessible set into sorted pages after a cursor; the last page says it is complete.</summary>
internal static class AccessiblePatientPages
{
    public static async IAsyncEnumerable<AccessiblePatientsPage> Of(AccessiblePatients accessible, string cursor, int pageSize)
    {
        var first = new AccessiblePatientsPage { Revision = accessible.Revision, AllPatients = accessible.AllPatients };
        first.GrantingSets.AddRange(GrantingSets(accessible));
        first.ExcludedPatientIds.AddRange(accessible.Withheld);
        if (accessible.AllPatients)
        {
            first.Complete = true;
            yield return first;
            yield break;
        }
        var start = string.IsNullOrEmpty(cursor) ? 0 : UpperBound(accessible.Patients, cursor);
        var page = first;
        do
        {
            var ids = accessible.Patients.Skip(start).Take(pageSize).ToList();
            start += ids.Count;
            page.PatientIds.AddRange(ids);
            page.NextCursor = ids.Count > 0 ? ids[^1] : cursor;
            page.Complete = start >= accessible.Patients.Count;
            yield return page;
            await Task.Yield();
            page = new AccessiblePatientsPage { Revision = accessible.Revision };
        }
        while (start < accessible.Patients.Count);
    }

    /// <summary>Each term's reach as a union of joinable sets.</summary>
    public static IEnumerable<SetUnion> GrantingSets(AccessiblePatients accessible) => accessible.Terms.Select(t =>
    {
        var union = new SetUnion { Term = ToWire(t.Term) };
        union.Sets.AddRange(t.Reach.GrantingSets);
        return union;
    });

    /// <summary>Index of the first id after the cursor in the ordinally sorted list.</summary>
    private static int UpperBound(IReadOnlyList<string> sorted, string cursor)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (string.CompareOrdinal(sorted[mid], cursor) <= 0)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private static Term ToWire(DecisionTerm term) => term switch
    {
        DecisionTerm.Scope => Term.Scope,
        DecisionTerm.Client => Term.Client,
        DecisionTerm.User => Term.User,
        DecisionTerm.Request => Term.Request,
        DecisionTerm.Consent => Term.Consent,
        _ => Term.Unspecified,
    };
}
