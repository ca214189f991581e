using PermissionLayer.Testing.Postgres;
using Xunit;

namespace PermissionLayer.Testing.Server;

/// <summary>One database and one running server, shared by the tests of a class or collection.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerHost? _host;

    public ServerHost Host => _host ?? throw new InvalidOperationException("the server has not started");
    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync("server");
        _host = await ServerHost.StartAsync(ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
