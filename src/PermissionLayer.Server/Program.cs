using PermissionLayer.Server.Hosting;

// permissionlayer           run the silo and the gRPC/JSON endpoints
// permissionlayer migrate   apply database migrations and exit
try
{
    var migrateOnly = args.FirstOrDefault() == "migrate";
    var app = await PermissionLayerApplication.BuildAsync(migrateOnly ? args[1..] : args);
    if (migrateOnly)
    {
        await DatabaseMigrator.MigrateAsync(app.Services);
        return 0;
    }
    await app.RunAsync();
    return 0;
}
catch (InvalidConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
