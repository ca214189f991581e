namespace PermissionLayer.Storage.Consents;

/// <summary>A consent in force (not withdrawn): its FHIR JSON as received and, once written, its stamped compiled form.</summary>
public sealed record StoredConsent(string ConsentId, string RawJson, long Revision, string? CompiledForm);
