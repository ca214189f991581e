using System.Runtime.CompilerServices;
using PermissionLayer.Core.Imports;

namespace PermissionLayer.Fhir.Imports;

/// <summary>
/// Reads FHIR R4 JSON (Group, CareTeam, List, PractitionerRole, Consent, and Bundles of them) into
/// entitlement facts. Fails closed: any bad resource rejects the whole import with a
/// <see cref="FhirImportException"/> naming the resource, where it is, and the FHIR path at fault.
/// </summary>
public sealed class FhirImportReader
{
    /// <summary>
    /// Reads one JSON document: a single resource or a Bundle of any type, whose entries' resources are
    /// read in order. Returns all facts, or throws and returns none.
    /// </summary>
    /// <exception cref="FhirImportException">The document or any resource in it cannot be imported.</exception>
    public IReadOnlyList<ImportedFact> ReadJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var facts = new List<ImportedFact>();
        new ImportSession().Read(json, default, facts);
        return facts;
    }

    /// <summary>
    /// Streams NDJSON (one resource or Bundle per line; blank lines are ignored), yielding each line's
    /// facts once that line is fully read and checked, so memory stays bounded by the largest line.
    /// </summary>
    /// <remarks>
    /// All-or-nothing is the caller's part of the contract: facts yielded before an exception belong to
    /// a failed import and must be discarded, so stage them and commit only after the enumeration ends.
    /// </remarks>
    /// <exception cref="FhirImportException">A line cannot be imported; the message names its line number.</exception>
    public async IAsyncEnumerable<ImportedFact> ReadNdjsonAsync(
        TextReader reader,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var session = new ImportSession();
        var facts = new List<ImportedFact>();
        var line = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            facts.Clear();
            session.Read(text, new ResourceOrigin(line, null), facts);
            foreach (var fact in facts)
            {
                yield return fact;
            }
        }
    }
}
