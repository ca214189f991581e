using System.Text.Json;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// What an admin method calls after its write succeeded. One call per write; new admin methods
/// (consents, clients, ...) need nothing else.
/// </summary>
public interface IAdminChangeRecorder
{
    Task RecordAsync(AdminChange change, CancellationToken cancellationToken = default);

    /// <summary>Convenience: serialises <paramref name="before"/> and <paramref name="after"/> (any object, or null) as JSON.</summary>
    Task RecordAsync(string operation, string target, string actor, string reason, object? before, object? after, CancellationToken cancellationToken = default) =>
        RecordAsync(new AdminChange(operation, target, actor, reason, ToJson(before), ToJson(after)), cancellationToken);

    private static string? ToJson(object? value) =>
        value is null ? null : JsonSerializer.Serialize(value, value.GetType(), JsonSerializerOptions.Web);
}
