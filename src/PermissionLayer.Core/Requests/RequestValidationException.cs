namespace PermissionLayer.Core.Requests;

/// <summary>
/// A request cannot be decided because one of its fields is missing or malformed.
/// <see cref="Field"/> names it (as the API spells it); the caller gets INVALID_ARGUMENT.
/// </summary>
public sealed class RequestValidationException(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}
