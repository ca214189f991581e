using PermissionLayer.Gateway;
using PermissionLayer.Gateway.Configuration;

// dotnet run --project src/PermissionLayer.Gateway -- --urls http://127.0.0.1:5090 \
//   --Gateway:Upstream:BaseUrl http://127.0.0.1:8103/ --Gateway:DecisionService:Address http://127.0.0.1:5080 \
//   --Gateway:DecisionService:ApiKey <pep key> --Gateway:Tokens:Issuer <issuer> --Gateway:Tokens:Audience <this gateway's base URL>
// Every setting is also an environment variable (Gateway__Upstream__BaseUrl, ...). A bad setting stops
// the process with exit code 2 and a message naming it.
try
{
    var app = GatewayApplication.Build(args);
    await app.RunAsync();
    return 0;
}
catch (GatewayConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
