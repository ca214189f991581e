using Hl7.Fhir.Model;
using PermissionLayer.Grains.Principals;

namespace PermissionLayer.Server.Hosting;

internal sealed class R4ResourceTypeCheck : IResourceTypeCheck
{
    public bool IsResourceType(string name) => ModelInfo.IsKnownResource(name);
}
