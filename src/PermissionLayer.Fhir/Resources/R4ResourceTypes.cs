using Hl7.Fhir.Model;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Fhir.Resources;

/// <summary>The FHIR R4 resource types, from the Hl7.Fhir.R4 model.</summary>
public sealed class R4ResourceTypes : IResourceTypeCatalog
{
    public static readonly R4ResourceTypes Instance = new();

    public bool IsKnown(string resourceType) => ModelInfo.IsKnownResource(resourceType);
}
