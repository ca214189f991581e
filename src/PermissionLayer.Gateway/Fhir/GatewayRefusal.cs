namespace PermissionLayer.Gateway.Fhir;

/// <summary>
/// The request is refused: thrown wherever the gateway cannot parse, resolve or check something,
/// and answered as an OperationOutcome with that HTTP status. Nothing upstream sent goes with it.
/// </summary>
public sealed class GatewayRefusal(int status, string issueCode, string message, string? reasonCode = null) : Exception(message)
{
    public int Status { get; } = status;
    public string IssueCode { get; } = issueCode;
    public string? ReasonCode { get; } = reasonCode;

    public static GatewayRefusal BadRequest(string message) => new(StatusCodes.Status400BadRequest, "invalid", message);

    public static GatewayRefusal Unavailable(string message) => new(StatusCodes.Status503ServiceUnavailable, "transient", message);

    public static GatewayRefusal Forbidden(string message, string? reasonCode = null) => new(StatusCodes.Status403Forbidden, "forbidden", message, reasonCode);

    /// <summary>The upstream answered something the gateway cannot check: nothing of it is passed on.</summary>
    public static GatewayRefusal BadGateway(string message) => new(StatusCodes.Status502BadGateway, "exception", message);

    public static GatewayRefusal NotSupported(string message) => new(StatusCodes.Status501NotImplemented, "not-supported", message);
}
