using PermissionLayer.ExamplePep;

// dotnet run --project src/PermissionLayer.ExamplePep -- --PermissionLayer:Address=http://127.0.0.1:5080
var app = ExamplePepApplication.Build(args);
await app.RunAsync();
