using Hl7.Fhir.Model;
using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Fhir.Resources;

/// <summary>
/// The FHIR R4 resource types, from the Hl7.Fhir.R4 model, spelled exactly: FHIR type names are
/// case-sensitive, and the model's own lookup is not (<c>patient</c> must not pass for <c>Patient</c>).
/// </summary>
public sealed class R4ResourceTypes : IResourceTypeCatalog
{
    public static readonly R4ResourceTypes Instance = new();

    private readonly HashSet<string> _names = new(ModelInfo.SupportedResources, StringComparer.Ordinal);

    public bool IsKnown(string resourceType) => _names.Contains(resourceType);
}
