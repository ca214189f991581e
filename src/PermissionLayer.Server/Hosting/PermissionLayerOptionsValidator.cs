using System.Net;
using Npgsql;

namespace PermissionLayer.Server.Hosting;

/// <summary>Checks the configuration before anything starts; every message names its setting.</summary>
public static class PermissionLayerOptionsValidator
{
    public static IReadOnlyList<string> Validate(PermissionLayerOptions options)
    {
        var errors = new List<string>();
        const string p = PermissionLayerOptions.Section;
        if (string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
        {
            errors.Add($"{p}:Storage:ConnectionString is required (an Npgsql connection string)");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.Storage.ConnectionString);
            }
            catch (ArgumentException e)
            {
                errors.Add($"{p}:Storage:ConnectionString is not a valid Npgsql connection string: {e.Message}");
            }
        }
        if (options.Cluster.Mode is not ("Localhost" or "Postgres"))
        {
            errors.Add($"{p}:Cluster:Mode must be 'Localhost' or 'Postgres', not '{options.Cluster.Mode}'");
        }
        CheckPort(errors, $"{p}:Cluster:SiloPort", options.Cluster.SiloPort);
        CheckPort(errors, $"{p}:Cluster:GatewayPort", options.Cluster.GatewayPort);
        CheckPort(errors, $"{p}:Endpoints:GrpcPort", options.Endpoints.GrpcPort);
        CheckPort(errors, $"{p}:Endpoints:HttpPort", options.Endpoints.HttpPort);
        if (options.Endpoints.GrpcPort == options.Endpoints.HttpPort)
        {
            errors.Add($"{p}:Endpoints:GrpcPort and {p}:Endpoints:HttpPort must differ (both {options.Endpoints.GrpcPort})");
        }
        if (!IPAddress.TryParse(options.Endpoints.BindAddress, out _))
        {
            errors.Add($"{p}:Endpoints:BindAddress '{options.Endpoints.BindAddress}' is not an IP address");
        }
        if (!IPAddress.TryParse(options.Cluster.AdvertisedAddress, out _))
        {
            errors.Add($"{p}:Cluster:AdvertisedAddress '{options.Cluster.AdvertisedAddress}' is not an IP address");
        }
        if (options.Cluster.ProbeTimeoutSeconds is < 1 or > 600)
        {
            errors.Add($"{p}:Cluster:ProbeTimeoutSeconds must be between 1 and 600, not {options.Cluster.ProbeTimeoutSeconds}");
        }
        if (options.Cluster.NumMissedProbesLimit < 1 || options.Cluster.NumVotesForDeathDeclaration < 1)
        {
            errors.Add($"{p}:Cluster:NumMissedProbesLimit and {p}:Cluster:NumVotesForDeathDeclaration must be at least 1");
        }
        if (options.Cluster.EmptyPrincipalLifetimeSeconds is < 1 or > 86_400)
        {
            errors.Add($"{p}:Cluster:EmptyPrincipalLifetimeSeconds must be between 1 and 86400, not {options.Cluster.EmptyPrincipalLifetimeSeconds}");
        }
        if (string.IsNullOrWhiteSpace(options.Cluster.ClusterId))
        {
            errors.Add($"{p}:Cluster:ClusterId is required");
        }
        foreach (var url in options.Decision.FhirBaseUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Query.Length > 0)
            {
                errors.Add($"{p}:Decision:FhirBaseUrls contains '{url}', which is not an absolute http(s) base URL without a query");
            }
        }
        if (options.Decision.MaxBatchEntries is < 1 or > 100_000)
        {
            errors.Add($"{p}:Decision:MaxBatchEntries must be between 1 and 100000, not {options.Decision.MaxBatchEntries}");
        }
        ConsentOptionsValidation.Validate(options.Consent, errors);
        if (!Enum.TryParse<AuditMode>(options.Audit.Mode, ignoreCase: true, out _) || int.TryParse(options.Audit.Mode, out _))
        {
            errors.Add($"{p}:Audit:Mode must be 'Durable', 'Queued' or 'Off', not '{options.Audit.Mode}'");
        }
        if (options.Audit.QueueCapacity is < 1 or > 10_000_000)
        {
            errors.Add($"{p}:Audit:QueueCapacity must be between 1 and 10000000, not {options.Audit.QueueCapacity}");
        }
        if (options.Audit.Writers is < 1 or > 64)
        {
            errors.Add($"{p}:Audit:Writers must be between 1 and 64, not {options.Audit.Writers}");
        }
        if (string.IsNullOrWhiteSpace(options.Audit.SpillPath))
        {
            errors.Add($"{p}:Audit:SpillPath is required (a file for audit records not yet written at shutdown)");
        }
        if (options.Audit.MaxBatchSize is < 1 or > 100_000)
        {
            errors.Add($"{p}:Audit:MaxBatchSize must be between 1 and 100000, not {options.Audit.MaxBatchSize}");
        }
        if (options.Audit.RetentionDays < 0)
        {
            errors.Add($"{p}:Audit:RetentionDays must be 0 (keep everything) or a number of days, not {options.Audit.RetentionDays}");
        }
        if (options.Audit.PartitionsAhead is < 0 or > 120)
        {
            errors.Add($"{p}:Audit:PartitionsAhead must be between 0 and 120, not {options.Audit.PartitionsAhead}");
        }
        if (options.LogFormat is not ("text" or "json"))
        {
            errors.Add($"{p}:LogFormat must be 'text' or 'json', not '{options.LogFormat}'");
        }
        return errors;
    }

    private static void CheckPort(List<string> errors, string name, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{name} must be a TCP port between 1 and 65535, not {port}");
        }
    }
}
