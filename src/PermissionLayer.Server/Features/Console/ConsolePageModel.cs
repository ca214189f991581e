using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PermissionLayer.Server.Features.Console;

/// <summary>
/// What every console page shares: the service's API as the signed-in key, and the answer to a call
/// the service refused, shown as the API says it (status and the message naming the field).
/// </summary>
public abstract class ConsolePageModel(ConsoleApi api) : PageModel
{
    /// <summary>Rows per page; one more is read to know whether there is a next page.</summary>
    public const int PageSize = 50;

    protected ConsoleApi Api { get; } = api;

    /// <summary>What the service answered when it refused the last call; null when it did not.</summary>
    public string? Error { get; protected set; }

    protected CallOptions Caller => ConsoleApi.As(User, HttpContext.RequestAborted);

    /// <summary>Runs one call; a refusal becomes <see cref="Error"/> and the default value.</summary>
    protected async Task<T?> AskAsync<T>(Func<CallOptions, Task<T>> call)
    {
        try
        {
            return await call(Caller);
        }
        catch (RpcException e)
        {
            Error = $"{e.StatusCode}: {e.Status.Detail}";
            return default;
        }
    }

    /// <summary>Reads one page of a stream asked with limit <see cref="PageSize"/> + 1.</summary>
    protected Task<List<T>?> PageAsync<T>(Func<CallOptions, AsyncServerStreamingCall<T>> call) =>
        AskAsync(options => ConsoleApi.ReadAllAsync(call(options), HttpContext.RequestAborted));

    /// <summary>A date or date-time typed into a form, read as UTC; null when empty; a FormatException when not a time.</summary>
    public static DateTimeOffset? ParseTime(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FormatException($"{field}: '{text}' is not a date (yyyy-mm-dd) or date-time");
    }

    public static string Show(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
