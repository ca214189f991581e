namespace PermissionLayer.Grains.Principals;

/// <summary>Whether a name is a FHIR R4 resource type; supplied by the FHIR mapping layer.</summary>
public interface IResourceTypeCheck
{
    bool IsResourceType(string name);
}
