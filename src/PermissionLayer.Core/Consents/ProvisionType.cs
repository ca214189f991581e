namespace PermissionLayer.Core.Consents;

/// <summary>What a matching provision says for its subtree (FHIR <c>Consent.provision.type</c>).</summary>
public enum ProvisionType
{
    Permit,
    Deny,
}
