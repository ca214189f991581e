using PermissionLayer.Server.Hosting;

// permissionlayer           run the silo and the gRPC/JSON endpoints
// permissionlayer migrate   apply database migrations and exit
// permissionlayer create-key --name NAME --role pep|admin|auditor [--role ...]   print a new API key
// permissionlayer list-keys | revoke-key --id ID                                 the keys on record
try
{
    var command = args.FirstOrDefault() is { } first && (first == "migrate" || ApiKeyCommand.Names.Contains(first)) ? first : null;
    string[] hostArgs = command switch
    {
        null => args,
        // A command's stdout is its answer (e.g. the new key): logs go to stderr, and only
        // `migrate` migrates.
        _ => [.. args.Skip(1).Where(a => a.StartsWith("--PermissionLayer", StringComparison.Ordinal)),
              "--Logging:Console:LogToStandardErrorThreshold=Trace",
              $"--PermissionLayer:Storage:MigrateOnStart={command == "migrate"}"],
    };
    var app = await PermissionLayerApplication.BuildAsync(hostArgs);
    switch (command)
    {
        case "migrate":
            return 0; // BuildAsync has applied them.
        case not null when ApiKeyCommand.Names.Contains(command):
            return await ApiKeyCommand.RunAsync(app.Services, command, args[1..]);
    }
    await app.RunAsync();
    return 0;
}
catch (InvalidConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
