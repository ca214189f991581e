using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;

namespace PermissionLayer.Cli.Commands;

/// <summary>
/// Runs one command against the server and turns failures into exit codes scripts can use:
/// 2 bad input (nothing was sent, or the server said INVALID_ARGUMENT), 3 the server refused or failed
/// (unauthenticated, permission denied, failed precondition, unavailable, ...). Commands return 0 on
/// success and may use 1 for a negative answer (a deny, a broken chain).
/// </summary>
internal static class ServerCall
{
    public const int BadInput = 2;
    public const int Refused = 3;

    public static async Task<int> RunAsync<TClient>(ParseResult parse, Func<GrpcChannel, TClient> client, Func<TClient, Task<int>> run)
    {
        try
        {
            using var channel = ServerOptions.Channel(parse);
            return await run(client(channel));
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return BadInput;
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync($"{e.StatusCode}: {e.Status.Detail}");
            return e.StatusCode == StatusCode.InvalidArgument ? BadInput : Refused;
        }
    }

    /// <summary>Prints every message of a server stream, one line each.</summary>
    public static async Task<int> PrintAsync<T>(AsyncServerStreamingCall<T> call, Func<T, string> format, CancellationToken cancellationToken)
    {
        using (call)
        {
            await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                await Console.Out.WriteLineAsync(format(item));
            }
        }
        return 0;
    }
}
