namespace PermissionLayer.Storage.Consents;

/// <summary>A consent in force (not withdrawn), as the patient's grain loads it.</summary>
public sealed record StoredConsent(string ConsentId, string RawJson, long Revision);
