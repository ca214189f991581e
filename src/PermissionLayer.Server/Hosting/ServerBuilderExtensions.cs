using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Configuration;
using PermissionLayer.Grains;
using PermissionLayer.Grains.Batches;
using PermissionLayer.Grains.Decisions;
using PermissionLayer.Grains.LocalState;
using PermissionLayer.Grains.Principals;
using PermissionLayer.Core.References;
using PermissionLayer.Core.Scopes;
using PermissionLayer.Fhir.Resources;
using PermissionLayer.Grains.Revisions;
using PermissionLayer.Server.Features.Audit;
using PermissionLayer.Server.Features.Authentication;
using PermissionLayer.Server.Features.Console;
using PermissionLayer.Server.Features.Decisions;
using PermissionLayer.Server.Features.Demo;
using PermissionLayer.Server.Features.Errors;
using PermissionLayer.Server.Features.Health;
using PermissionLayer.Server.Features.Limits;
using PermissionLayer.Server.Features.Admin;
using PermissionLayer.Server.Hosting.Marshalling;
using Npgsql;
using PermissionLayer.Storage;
using PermissionLayer.Storage.Clustering;
using PermissionLayer.Server.Features.Sync;
using PermissionLayer.Server.Features.Telemetry;

namespace PermissionLayer.Server.Hosting;

/// <summary>All of the host's wiring, so that Program.cs reads as the architecture.</summary>
public static class ServerBuilderExtensions
{
    /// <summary>Reads and validates the options, then registers storage, the silo and the endpoints.</summary>
    public static PermissionLayerOptions AddPermissionLayer(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PermissionLayerOptions.Section).Get<PermissionLayerOptions>() ?? new();
        var errors = PermissionLayerOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new InvalidConfigurationException(errors);
        }
        builder.Services.AddSingleton(options);
        builder.ConfigureLogging(options);
        builder.ConfigureKestrel(options.Endpoints);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new DecisionClock(TimeProvider.System));
        builder.Services.AddPermissionLayerStorage(options.Storage.ConnectionString);
        builder.Services.AddSingleton<RevisionClock>();
        builder.Services.AddSingleton<RevisionSync>();
        builder.Services.AddHostedService<RevisionRefresher>();
        builder.Services.AddSingleton<IResourceTypeCatalog>(R4ResourceTypes.Instance);
        builder.Services.AddSingleton<ScopeParser>();
        builder.Services.AddSingleton(new PatientReferenceResolver(options.Decision.FhirBaseUrls, R4ResourceTypes.Instance));
        builder.Services.AddSingleton(options.Consent.ToDefaults());
        builder.Services.AddSingleton<GrainReferences>();
        builder.Services.AddSingleton<PublishedStates>();
        builder.Services.AddSingleton<LocalActivations>();
        builder.Services.AddSingleton<PermissionLayer.Grains.Consents.ConsentRegistryProgress>();
        builder.Services.AddSingleton<LifecycleServices>();
        builder.Services.AddSingleton(new EmptyPrincipalLifetime(TimeSpan.FromSeconds(options.Cluster.EmptyPrincipalLifetimeSeconds)));
        builder.Services.AddSingleton<AfterCommitHook>();
        builder.Services.AddSingleton<EntitlementReads>();
        builder.Services.AddSingleton<DecisionEvaluator>();
        builder.Services.AddAccessibleFeeds(options.Sync);
        builder.Services.AddSingleton<AdminBatch>();
        builder.AddPermissionLayerTelemetry(options);
        builder.Services.AddAuditLog(options);
        builder.UseOrleans(silo => silo.ConfigureCluster(options));
        if (options.Cluster.Mode == "Postgres")
        {
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(options.Storage.ConnectionString));
        }
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<RevocableCalls>();
        builder.Services.AddHostedService<ApiKeyRevocationWatcher>();
        // The API's scheme is the default: the console's cookie never authenticates an API call.
        var authentication = builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddConsole(authentication);
        builder.Services.AddAuthorization();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ErrorMappingInterceptor>();
            // Inside the error mapping: a request over a limit is INVALID_ARGUMENT or RESOURCE_EXHAUSTED.
            grpc.Interceptors.Add<RequestLimitsInterceptor>();
            grpc.MaxReceiveMessageSize = RequestSizeLimits.Default;
        })
            // Per service, the largest of its RPCs; the interceptor holds each RPC to its own (RequestSizeLimits).
            .AddServiceOptions<DecisionGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.DecisionService)
            .AddServiceOptions<AdminGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.AdminService)
            .AddServiceOptions<AuditGrpcService>(o => o.MaxReceiveMessageSize = RequestSizeLimits.AuditService)
            .AddJsonTranscoding();
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<StorageHealthCheck>("postgresql").AddCheck<AuditWriterHealthCheck>("audit-writer");
        builder.Services.AddHealthChecks();
        // The gRPC health service answers from the last published run: every 5 s rather than the
        // default 30 s, so a PEP or a load balancer sees PostgreSQL's loss (and return) within seconds.
        builder.Services.Configure<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(1);
            o.Period = TimeSpan.FromSeconds(5);
        });
        // After every AddGrpc* call: requests that do not parse are INVALID_ARGUMENT, not UNKNOWN.
        builder.Services.AddStrictRequestParsing();
        // Registered after UseOrleans, so it starts once the silo is up.
        builder.Services.AddHostedService<ConsentRegistryWarmup>();
        if (options.Demo.Seed)
        {
            // Registered after UseOrleans, so it starts once the silo is up.
            builder.Services.AddHostedService<DemoDataSeeder>();
        }
        return options;
    }

    private static void ConfigureLogging(this WebApplicationBuilder builder, PermissionLayerOptions options)
    {
        builder.Logging.ClearProviders();
        if (options.LogFormat == "json")
        {
            builder.Logging.AddJsonConsole(json => json.IncludeScopes = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }
    }

    private static void ConfigureKestrel(this WebApplicationBuilder builder, EndpointOptions endpoints)
    {
        var address = IPAddress.Parse(endpoints.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Above every RPC's own limit, so that the answer is gRPC's RESOURCE_EXHAUSTED (or the JSON
            // port's 413), not a body read failing inside a handler (UNKNOWN).
            kestrel.Limits.MaxRequestBodySize = RequestSizeLimits.RequestBody;
            // gRPC needs HTTP/2; without TLS that means a port that speaks only HTTP/2 (h2c).
            kestrel.Listen(address, endpoints.GrpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(address, endpoints.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
    }

    private static void ConfigureCluster(this ISiloBuilder silo, PermissionLayerOptions options)
    {
        var cluster = options.Cluster;
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        if (cluster.Mode == "Localhost")
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, null, cluster.ServiceId, cluster.ClusterId);
            return;
        }
        // Several nodes: membership lives in the same PostgreSQL, in our own table (PostgresMembershipTable).
        silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        silo.Services.AddSingleton<IMembershipTable, PostgresMembershipTable>();
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(cluster.ProbeTimeoutSeconds);
            o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
            o.NumVotesForDeathDeclaration = cluster.NumVotesForDeathDeclaration;
        });
    }
}
