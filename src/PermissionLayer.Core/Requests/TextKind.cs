namespace PermissionLayer.Core.Requests;

/// <summary>Which characters a string field may hold (README, "Request contract": limits).</summary>
public enum TextKind
{
    /// <summary>An id, token, reference, code or query: one line, no control character at all.</summary>
    Line,

    /// <summary>A FHIR id (<c>[A-Za-z0-9\-.]{1,64}</c>).</summary>
    FhirId,

    /// <summary>A purpose of use: a v3 code, or <c>system|code</c> (<see cref="PurposeOfUse"/>).</summary>
    Purpose,

    /// <summary>Free text people write (a reason, a name): tab, line feed and carriage return allowed, no other control character.</summary>
    Text,

    /// <summary>A document (FHIR JSON, NDJSON): any character but NUL; bounded by the request size.</summary>
    Document,
}
