using PermissionLayer.Contracts.V1;
using PermissionLayer.Server.Tests.Consistency.Model;
using PermissionLayer.Server.Tests.Consistency.Running;
using PermissionLayer.Testing.Postgres;
using PermissionLayer.Testing.Server;

namespace PermissionLayer.Server.Tests.Consistency;

/// <summary>
/// One real server (own database, real silo, real gRPC) for every case of the suite, whose decision
/// clock the cases set. Cases keep apart by their id prefix; they run one after another because they
/// share the clock (xunit runs the tests of one class sequentially).
/// </summary>
public sealed class ConsistencyServerFixture : IAsyncLifetime
{
    private ServerHost? _host;

    internal SettableClock Clock { get; } = new(CaseTime.T0);

    internal ServerHost Host => _host ?? throw new InvalidOperationException("the server has not started");

    internal AdminService.AdminServiceClient Admin { get; private set; } = null!;

    internal DecisionService.DecisionServiceClient Decisions { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (DateTimeOffset.UtcNow > CaseTime.T0.AddDays(-30))
        {
            throw new InvalidOperationException("CaseTime.T0 must lie ahead of the wall clock: move it");
        }
        _host = await ServerHost.StartAsync(await PostgresServer.CreateDatabaseAsync("consistency"), decisionTime: Clock);
        Admin = new(_host.Channel);
        Decisions = new(_host.Channel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
