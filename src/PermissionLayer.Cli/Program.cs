using System.CommandLine;
using PermissionLayer.Cli.Commands.Audit;
using PermissionLayer.Cli.Commands.Scopes;

var root = new RootCommand("plctl: manage PermissionLayer entitlements, ask and explain decisions, evaluate scopes offline.");
var scopes = new Command("scopes", "Work with SMART scopes offline (no server needed).");
scopes.Subcommands.Add(ScopesCheckCommand.Create());
root.Subcommands.Add(scopes);
root.Subcommands.Add(AuditCommand.Create());
return await root.Parse(args).InvokeAsync();
