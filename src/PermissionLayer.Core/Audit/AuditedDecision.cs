namespace PermissionLayer.Core.Audit;

/// <summary>
/// One access decision as the audit log keeps it (AUDIT.md "What is recorded"): who asked, for what,
/// why, and what was answered. Plain data, so that storage, queries and the FHIR AuditEvent export
/// all read the same shape.
/// </summary>
public sealed record AuditedDecision
{
    public required Guid DecisionId { get; init; }
    /// <summary>When it was decided; kept to the microsecond, the precision PostgreSQL stores.</summary>
    public required DateTimeOffset DecidedAt { get; init; }
    /// <summary>The PEP that asked: its API key name and id.</summary>
    public required string Caller { get; init; }
    public required string ClientId { get; init; }
    public string? FhirUser { get; init; }
    public string? UserOrganization { get; init; }
    /// <summary>Patient ids (without <c>Patient/</c>) whose compartment the request touched.</summary>
    public IReadOnlyList<string> Patients { get; init; } = [];
    public required string Interaction { get; init; }
    public required string ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string? PurposeOfUse { get; init; }
    public bool BreakGlass { get; init; }
    public string? BreakGlassReason { get; init; }
    public string? Jti { get; init; }
    /// <summary><c>permit</c> or <c>deny</c>.</summary>
    public required string Outcome { get; init; }
    /// <summary>The term that denied (scope, client, user, consent, labels, request); null for a permit.</summary>
    public string? DecidingTerm { get; init; }
    /// <summary>The structured reasons as a JSON array, kept as written so the chain hash covers the exact text.</summary>
    public required string ReasonsJson { get; init; }
    /// <summary>References of the consents consulted.</summary>
    public IReadOnlyList<string> Consents { get; init; } = [];
    public long Revision { get; init; }
    public long LatencyMicroseconds { get; init; }
    /// <summary>
    /// The exact values of the fields that had to be changed to be storable (a NUL byte, a lone
    /// surrogate, a value too long for an index entry), as a JSON object of field name → value with
    /// every control character and surrogate escaped; null when nothing was changed (almost always).
    /// Covered by the chain hash, so the full value is as tamper-evident as the row.
    /// </summary>
    public string? OriginalValues { get; init; }

    /// <summary>Truncates a time to the microseconds PostgreSQL keeps, so a row hashes the same after a round trip.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);
}
