namespace PermissionLayer.ExampleSync;

/// <summary>The example's command line (kept tiny: no parsing library).</summary>
internal sealed record Arguments(Uri Server, string? ApiKey, string Client, string User, string Scope, IReadOnlyList<string> Context, string Directory, bool Once)
{
    public static Arguments? Parse(string[] args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var once = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--once")
            {
                once = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                (values.TryGetValue(args[i], out var list) ? list : values[args[i]] = []).Add(args[++i]);
            }
            else
            {
                return null;
            }
        }
        string? One(string name) => values.TryGetValue(name, out var list) ? list[^1] : null;
        if (One("--server") is not { } server || One("--client") is not { } client || One("--scope") is not { } scope || One("--user") is not { } user)
        {
            return null;
        }
        return new Arguments(new Uri(server), One("--api-key") ?? Environment.GetEnvironmentVariable("PLCTL_API_KEY"), client, user, scope,
            values.TryGetValue("--context", out var context) ? context : [], One("--dir") ?? "device", once);
    }
}
