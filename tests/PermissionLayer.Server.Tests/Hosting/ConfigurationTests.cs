using System.Diagnostics;
using PermissionLayer.Server.Hosting;
using PermissionLayer.Testing;

namespace PermissionLayer.Server.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Fact]
    public void Every_bad_setting_is_named()
    {
        var errors = PermissionLayerOptionsValidator.Validate(new PermissionLayerOptions
        {
            Storage = new StorageOptions { ConnectionString = "" },
            Cluster = new ClusterSettings { Mode = "Kubernetes", SiloPort = 0 },
            Endpoints = new EndpointOptions { GrpcPort = 7000, HttpPort = 7000, BindAddress = "not-an-ip" },
        });
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Storage:ConnectionString", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Cluster:Mode", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Cluster:SiloPort", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("must differ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Endpoints:BindAddress", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("OPTMAYBE", "TREAT", "PermissionLayer:Consent:DefaultPolicyRule")]
    [InlineData("OPTIN", "", "PermissionLayer:Consent:DefaultPurposeOfUse")]
    [InlineData("OPTOUT", "treat", "PermissionLayer:Consent:DefaultPurposeOfUse")]
    [InlineData("OPTIN", "BTG", "PermissionLayer:Consent:DefaultPurposeOfUse must not be a break-the-glass purpose")]
    public void Bad_consent_defaults_are_named(string rule, string purpose, string expected)
    {
        var errors = PermissionLayerOptionsValidator.Validate(new PermissionLayerOptions
        {
            Storage = new StorageOptions { ConnectionString = "Host=127.0.0.1;Database=x" },
            Consent = new ConsentOptions { DefaultPolicyRule = rule, DefaultPurposeOfUse = purpose },
        });
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_audit_settings_are_named_and_the_default_mode_is_durable()
    {
        Assert.Equal(AuditMode.Durable, new AuditOptions().ModeValue);
        var errors = PermissionLayerOptionsValidator.Validate(new PermissionLayerOptions
        {
            Storage = new StorageOptions { ConnectionString = "Host=127.0.0.1;Database=x" },
            Audit = new AuditOptions { Mode = "Sometimes", QueueCapacity = 0, Writers = 0, MaxBatchSize = 0, RetentionDays = -1 },
        });
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Audit:Mode", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Audit:QueueCapacity", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Audit:Writers", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Audit:MaxBatchSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PermissionLayer:Audit:RetentionDays", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_are_valid_once_a_connection_string_is_given()
    {
        var errors = PermissionLayerOptionsValidator.Validate(new PermissionLayerOptions
        {
            Storage = new StorageOptions { ConnectionString = "Host=127.0.0.1;Database=x" },
        });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_real_process_stops_with_a_message_naming_the_setting()
    {
        var server = RepositoryLayout.ProjectDll("src", "PermissionLayer.Server");
        var start = new ProcessStartInfo("dotnet", [server, "--PermissionLayer:Endpoints:GrpcPort=99999"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["PermissionLayer__Storage__ConnectionString"] = "Host=127.0.0.1;Database=unused" },
        };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("PermissionLayer:Endpoints:GrpcPort", stderr);
        Assert.Contains("99999", stderr);
    }
}
