using System.Net;
using System.Net.Sockets;

namespace PermissionLayer.Testing.Server;

/// <summary>
/// Loopback ports for test servers. Taken below the OS's ephemeral range (32768 and up on Linux):
/// a port the OS handed out and took back can be reused at once as the local port of an outgoing
/// connection (to PostgreSQL, between silos), and then the server cannot bind it. Each test process
/// starts at a random point of the range, so parallel test processes rarely meet, and every port is
/// checked free by binding it.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static int _next = Random.Shared.Next(First, Last);

    public static int Next()
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + ((Interlocked.Increment(ref _next) - First) % (Last - First));
            if (IsFree(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
