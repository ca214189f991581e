namespace PermissionLayer.Storage.Consents;

/// <summary>
/// A patient's FHIR Consent, kept exactly as received (for audit and export). The patient's grain
/// compiles it on activation (or reads its <see cref="CompiledForm"/>). A withdrawn consent stays, marked, for the change history.
/// </summary>
public sealed class ConsentRow
{
    /// <summary>The Consent's logical id (FHIR ids are unique per resource type on a server).</summary>
    public required string Id { get; set; }
    public required string PatientId { get; set; }
    /// <summary>FHIR Consent.status as received.</summary>
    public required string Status { get; set; }
    /// <summary>The Consent JSON text as received; text, not jsonb, so it is kept byte for byte.</summary>
    public required string RawJson { get; set; }
    /// <summary>
    /// The consent as compiled by the build that wrote it (a stamped cache of compiling <see cref="RawJson"/>,
    /// read back only by that build); null when not yet written. Never part of the change history.
    /// </summary>
    public string? CompiledForm { get; set; }
    public long Revision { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawReason { get; set; }
    public string? WithdrawnBy { get; set; }
}
