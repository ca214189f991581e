using PermissionLayer.ExamplePep;

// dotnet run --project src/PermissionLayer.ExamplePep -- \
//   --urls http://127.0.0.1:5090 --PermissionLayer:Address http://127.0.0.1:5080 [--PermissionLayer:ApiKey <key>]
// (or environment variables PermissionLayer__Address, PermissionLayer__ApiKey). There is deliberately
// no appsettings.json: the tests host this app next to the server, and two appsettings.json files
// would overwrite each other in the test output.
var app = ExamplePepApplication.Build(args);
await app.RunAsync();
