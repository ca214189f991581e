using System.CommandLine;
using PermissionLayer.Cli.Commands;
using PermissionLayer.Cli.Commands.Admin;
using PermissionLayer.Cli.Commands.Audit;
using PermissionLayer.Cli.Commands.Completion;
using PermissionLayer.Cli.Commands.Decisions;
using PermissionLayer.Cli.Commands.Scopes;

var root = new RootCommand(
    "plctl: manage PermissionLayer entitlements, ask and explain decisions, query the audit log, evaluate scopes offline.\n" +
    "Server commands read --server/$PLCTL_SERVER and --api-key/$PLCTL_API_KEY. Exit codes: 0 done (check: permit), " +
    "1 negative answer (check: deny; audit verify: broken chain), 2 bad input, 3 refused or failed by the server.");
root.Options.Add(ServerOptions.Server);
root.Options.Add(ServerOptions.ApiKey);
var scopes = new Command("scopes", "Work with SMART scopes offline (no server needed).");
scopes.Subcommands.Add(ScopesCheckCommand.Create());
root.Subcommands.Add(scopes);
root.Subcommands.Add(GrantCommands.Grant());
root.Subcommands.Add(GrantCommands.Revoke());
root.Subcommands.Add(GrantCommands.List());
root.Subcommands.Add(EntityCommands.Describe());
root.Subcommands.Add(EntityCommands.Members());
root.Subcommands.Add(EntityCommands.CareTeam());
root.Subcommands.Add(EntityCommands.Client());
root.Subcommands.Add(EntityCommands.Consent());
root.Subcommands.Add(EntityCommands.Apply());
root.Subcommands.Add(AccessCommands.WhoCanSee());
root.Subcommands.Add(AccessCommands.Import());
root.Subcommands.Add(AccessCommands.Watch());
root.Subcommands.Add(CheckCommand.Create());
root.Subcommands.Add(WatchPatientsCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(CompletionCommand.Create(root));
return await root.Parse(args).InvokeAsync();
