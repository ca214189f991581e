namespace PermissionLayer.Gateway.Fhir;

/// <summary>What the gateway answers: a status, a body it has checked (or produced), and headers.</summary>
public sealed record GatewayResponse(int Status, string? Body, string ContentType = FhirJson.ContentType)
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public GatewayResponse WithHeader(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Headers[name] = value;
        }
        return this;
    }
}
