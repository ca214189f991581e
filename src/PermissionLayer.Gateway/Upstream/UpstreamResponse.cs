namespace PermissionLayer.Gateway.Upstream;

/// <summary>The upstream FHIR server's answer, read whole: the gateway checks a body before anyone sees it.</summary>
public sealed record UpstreamResponse(int Status, string Body, string? ContentType, string? ETag, string? LastModified, string? Location)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
