using System.Diagnostics;
using PermissionLayer.Grains.Abstractions.Consents;

namespace PermissionLayer.Server.Features.Decisions;

/// <summary>
/// Activates the consent registry when the silo starts, so that the first search naming no patient does
/// not wait while every consent on record is compiled (0.08–0.14 ms each: seconds for 100,000). If it
/// fails (PostgreSQL not reachable yet), the first such search activates it instead.
/// </summary>
public sealed class ConsentRegistryWarmup(IGrainFactory grains, ILogger<ConsentRegistryWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var patients = await grains.GetGrain<IConsentRegistryGrain>(0).PatientsWithConsents();
            logger.LogInformation("Consent registry ready: {Patients} patient(s) with consents, {Elapsed} ms", patients, clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Consent registry not warmed at start; the first population search will load it");
        }
    }
}
