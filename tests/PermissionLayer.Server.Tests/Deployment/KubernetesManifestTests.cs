using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using PermissionLayer.Server.Hosting;
using PermissionLayer.Testing;

namespace PermissionLayer.Server.Tests.Deployment;

/// <summary>
/// deploy/kubernetes, checked offline: each overlay is built by kustomize and decoded by kubectl's
/// typed API structs (a client-side dry run), and what it deploys is checked against the server:
/// every environment variable and ConfigMap key is a real setting, the settings pass the server's
/// own validation, and probes, Services and the disruption budget point at what the pods expose.
/// </summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => ["staging", "production"];

    private static string Folder => Path.Combine(RepositoryLayout.Root, "deploy", "kubernetes");

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Overlay_builds_and_decodes_into_the_kubernetes_api_types(string overlay)
    {
        var objects = await BuildAsync(overlay);
        var kinds = objects.Select(o => $"{o["apiVersion"]}/{o["kind"]}").ToHashSet();
        Assert.Superset(new HashSet<string> { "apps/v1/Deployment", "v1/Service", "policy/v1/PodDisruptionBudget", "v1/ConfigMap", "v1/ServiceAccount" }, kinds);
        Assert.All(objects, o => Assert.Equal(overlay == "production" ? "permissionlayer" : $"permissionlayer-{overlay}", (string?)o["metadata"]!["namespace"]));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Deployment_and_services_have_no_field_kubernetes_does_not_know(string overlay)
    {
        // A misspelt field (imagePullPolic, readinesProbe) decodes fine and is silently dropped by
        // the API server; kubectl's typed structs drop it too, which this comparison catches.
        foreach (var manifest in (await BuildAsync(overlay)).Where(o => (string?)o["kind"] is "Deployment" or "Service"))
        {
            var kept = await Kubectl.RoundTripAsync(manifest);
            var dropped = Paths(manifest).Except(Paths(kept)).ToList();
            Assert.True(dropped.Count == 0, $"{manifest["kind"]}/{manifest["metadata"]!["name"]}: fields Kubernetes does not know: {string.Join(", ", dropped)}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_environment_variable_is_a_server_setting(string overlay)
    {
        var objects = await BuildAsync(overlay);
        var names = Container(objects)["env"]!.AsArray().Select(e => (string)e!["name"]!)
            .Concat(SettingsConfigMap(objects)["data"]!.AsObject().Select(d => d.Key)).ToList();
        var unknown = names.Where(n => ServerSettings.ForEnvironmentVariable(n) is null).ToList();
        Assert.True(unknown.Count == 0, "not a setting of the server (README, Configuration): " + string.Join(", ", unknown));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_settings_a_pod_gets_pass_the_servers_validation(string overlay)
    {
        var objects = await BuildAsync(overlay);
        var environment = PodEnvironment(objects);
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build().GetSection(PermissionLayerOptions.Section).Get<PermissionLayerOptions>()!;
        var errors = PermissionLayerOptionsValidator.Validate(options);
        Assert.True(errors.Count == 0, "the server would refuse to start: " + string.Join("; ", errors));
        // One cluster of several nodes, reachable from outside the pod.
        Assert.Equal("Postgres", options.Cluster.Mode);
        Assert.Equal("0.0.0.0", options.Endpoints.BindAddress);
        Assert.True(Path.IsPathRooted(options.Audit.SpillPath), "the spill file must be on the mounted volume, not under the read-only /app");
        var mounts = Container(objects)["volumeMounts"]!.AsArray().Select(m => (string)m!["mountPath"]!);
        Assert.Contains(mounts, m => options.Audit.SpillPath.StartsWith(m + "/", StringComparison.Ordinal));
        // The ports the server listens on are the ports the pod declares.
        var ports = ContainerPorts(objects);
        Assert.Equal(options.Endpoints.GrpcPort, ports["grpc"]);
        Assert.Equal(options.Endpoints.HttpPort, ports["http"]);
        Assert.Equal(options.Cluster.SiloPort, ports["silo"]);
        Assert.Equal(options.Cluster.GatewayPort, ports["orleans-gateway"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_pod_advertises_its_own_address_and_reads_the_connection_string_from_the_secret(string overlay)
    {
        var env = Container(await BuildAsync(overlay))["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => e!);
        Assert.Equal("status.podIP", (string?)env["PermissionLayer__Cluster__AdvertisedAddress"]["valueFrom"]!["fieldRef"]!["fieldPath"]);
        var secretKey = env["PermissionLayer__Storage__ConnectionString"]["valueFrom"]!["secretKeyRef"]!;
        var secret = Assert.Single(await Kubectl.DecodeAsync(Path.Combine(Folder, "secret.example.yaml")));
        Assert.Equal((string?)secret["metadata"]!["name"], (string?)secretKey["name"]);
        Assert.NotNull(secret["stringData"]![(string)secretKey["key"]!]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Probes_services_and_budget_point_at_what_the_pods_expose(string overlay)
    {
        var objects = await BuildAsync(overlay);
        var deployment = Single(objects, "Deployment");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.True(Matches(deployment["spec"]!["selector"]!["matchLabels"]!.AsObject(), podLabels), "the Deployment's selector does not match its pods");
        Assert.True((int)deployment["spec"]!["replicas"]! >= 2, "one Orleans cluster of several nodes");
        var ports = ContainerPorts(objects);
        var container = Container(objects);
        // Readiness runs every health check (PostgreSQL, audit writer); liveness none (EndpointsTests).
        Assert.Equal("/healthz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/livez", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/livez", (string?)container["startupProbe"]!["httpGet"]!["path"]);
        foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
        {
            Assert.Contains((string)container[probe]!["httpGet"]!["port"]!, ports.Keys);
        }
        foreach (var service in objects.Where(o => (string?)o["kind"] == "Service"))
        {
            Assert.True(Matches(service["spec"]!["selector"]!.AsObject(), podLabels), $"Service {service["metadata"]!["name"]} selects no pod");
            Assert.All(service["spec"]!["ports"]!.AsArray(), p => Assert.Contains((string)p!["targetPort"]!, ports.Keys));
        }
        var budget = Single(objects, "PodDisruptionBudget")["spec"]!;
        Assert.True(Matches(budget["selector"]!["matchLabels"]!.AsObject(), podLabels), "the PodDisruptionBudget selects no pod");
        Assert.True(budget["maxUnavailable"] is not null || budget["minAvailable"] is not null, "a PodDisruptionBudget that limits nothing");
        var configMaps = objects.Where(o => (string?)o["kind"] == "ConfigMap").Select(o => (string)o["metadata"]!["name"]!).ToList();
        Assert.All(container["envFrom"]!.AsArray(), e => Assert.Contains((string)e!["configMapRef"]!["name"]!, configMaps));
    }

    private static readonly Dictionary<string, List<JsonObject>> Built = [];

    private static async Task<List<JsonObject>> BuildAsync(string overlay)
    {
        Assert.SkipWhen(Kubectl.Path is null, "kubectl is not installed");
        List<JsonObject>? objects;
        lock (Built)
        {
            Built.TryGetValue(overlay, out objects);
        }
        if (objects is not null)
        {
            return objects;
        }
        var file = Path.Combine(Path.GetTempPath(), $"pl-k8s-{overlay}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, await Kubectl.RunAsync("kustomize", Path.Combine(Folder, "overlays", overlay)));
        try
        {
            objects = await Kubectl.DecodeAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
        lock (Built)
        {
            Built[overlay] = objects;
        }
        return objects;
    }

    private static JsonObject Single(List<JsonObject> objects, string kind) => Assert.Single(objects, o => (string?)o["kind"] == kind);

    private static JsonObject Container(List<JsonObject> objects) =>
        Assert.Single(Single(objects, "Deployment")["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!.AsObject();

    private static JsonObject SettingsConfigMap(List<JsonObject> objects)
    {
        var name = (string)Assert.Single(Container(objects)["envFrom"]!.AsArray())!["configMapRef"]!["name"]!;
        return Assert.Single(objects, o => (string?)o["kind"] == "ConfigMap" && (string?)o["metadata"]!["name"] == name);
    }

    private static Dictionary<string, int> ContainerPorts(List<JsonObject> objects) =>
        Container(objects)["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int)p!["containerPort"]!);

    /// <summary>What the server process sees: the ConfigMap, then the pod's own variables (placeholders for the values Kubernetes fills in).</summary>
    private static Dictionary<string, string> PodEnvironment(List<JsonObject> objects)
    {
        var environment = SettingsConfigMap(objects)["data"]!.AsObject().ToDictionary(d => d.Key, d => (string)d.Value!);
        foreach (var variable in Container(objects)["env"]!.AsArray())
        {
            var name = (string)variable!["name"]!;
            environment[name] = variable["value"] is { } value ? (string)value!
                : variable["valueFrom"]!["fieldRef"] is not null ? "10.1.2.3"
                : "Host=postgres.example.internal;Username=permissionlayer;Password=x;Database=permissionlayer";
        }
        return environment;
    }

    private static bool Matches(JsonObject selector, JsonObject labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetPropertyValue(s.Key, out var v) && (string?)v == (string?)s.Value);

    /// <summary>Every property path of a JSON tree (array elements by index).</summary>
    private static IEnumerable<string> Paths(JsonNode? node, string at = "")
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    yield return $"{at}.{key}";
                    foreach (var path in Paths(value, $"{at}.{key}"))
                    {
                        yield return path;
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var path in Paths(a[i], $"{at}[{i}]"))
                    {
                        yield return path;
                    }
                }
                break;
        }
    }
}
