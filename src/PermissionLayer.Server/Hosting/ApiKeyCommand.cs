using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Hosting;

/// <summary>
/// The key commands, run on a machine that reaches the system of record:
/// <c>create-key --name NAME --role ROLE [--role ROLE…]</c> creates a key and prints it once (how the
/// first admin key comes to exist); <c>list-keys</c> prints one line per key (id, name, roles, created,
/// revoked — never a secret); <c>revoke-key --id ID</c> revokes one (every node stops accepting it
/// within about two seconds). Exit codes: 0 done, 1 no such active key, 2 bad usage.
/// </summary>
public static class ApiKeyCommand
{
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "create-key", "list-keys", "revoke-key" };

    public static Task<int> RunAsync(IServiceProvider services, string command, string[] args) => command switch
    {
        "list-keys" => ListAsync(services),
        "revoke-key" => RevokeAsync(services, args),
        _ => CreateAsync(services, args),
    };

    private static async Task<int> ListAsync(IServiceProvider services)
    {
        foreach (var key in await services.GetRequiredService<ApiKeyStore>().ListAsync())
        {
            Console.WriteLine(string.Join('\t', key.Id, key.Name, string.Join(',', key.Roles), key.CreatedAt.ToString("O"),
                key.RevokedAt is { } revoked ? $"revoked {revoked:O}" : "active"));
        }
        return 0;
    }

    private static async Task<int> RevokeAsync(IServiceProvider services, string[] args)
    {
        var at = Array.IndexOf(args, "--id");
        if (at < 0 || at == args.Length - 1)
        {
            await Console.Error.WriteLineAsync("usage: revoke-key --id ID   (the id is the part after plk_ and before the next _; see list-keys)");
            return 2;
        }
        var id = args[at + 1];
        if (!await services.GetRequiredService<ApiKeyStore>().RevokeAsync(id, DateTimeOffset.UtcNow))
        {
            await Console.Error.WriteLineAsync($"no active key with id '{id}'");
            return 1;
        }
        Console.WriteLine($"revoked {id}");
        return 0;
    }

    private static async Task<int> CreateAsync(IServiceProvider services, string[] args)
    {
        string? name = null;
        var roles = new List<string>();
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--name": name = args[++i]; break;
                case "--role": roles.Add(args[++i]); break;
            }
        }
        if (name is null || roles.Count == 0 || roles.Any(r => !CallerRoles.All.Contains(r)))
        {
            await Console.Error.WriteLineAsync(
                $"usage: create-key --name NAME --role ROLE [--role ROLE...]   (roles: {string.Join(", ", CallerRoles.All)})");
            return 2;
        }
        var key = await services.GetRequiredService<ApiKeyStore>()
            .CreateAsync(name, roles, createdBy: $"create-key@{Environment.MachineName}", DateTimeOffset.UtcNow);
        Console.WriteLine(key);
        return 0;
    }
}
