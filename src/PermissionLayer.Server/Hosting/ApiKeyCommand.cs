using PermissionLayer.Storage.ApiKeys;

namespace PermissionLayer.Server.Hosting;

/// <summary>
/// <c>PermissionLayer.Server create-key --name NAME --role ROLE [--role ROLE…]</c>: creates an API key
/// and prints it once. This is how the first admin key comes to exist.
/// </summary>
public static class ApiKeyCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
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
