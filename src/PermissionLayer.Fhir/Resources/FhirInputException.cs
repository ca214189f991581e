namespace PermissionLayer.Fhir.Resources;

/// <summary>FHIR input could not be parsed as an R4 resource; the message says where and why.</summary>
public sealed class FhirInputException(string message, Exception? inner = null) : Exception(message, inner);
