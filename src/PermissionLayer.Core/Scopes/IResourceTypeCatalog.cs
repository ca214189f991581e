namespace PermissionLayer.Core.Scopes;

/// <summary>Knows the FHIR resource type names (the FHIR mapping layer supplies R4's).</summary>
public interface IResourceTypeCatalog
{
    bool IsKnown(string resourceType);
}
