using System.CommandLine;

var root = new RootCommand("plctl: manage PermissionLayer entitlements, ask and explain decisions, query the audit log.");
return await root.Parse(args).InvokeAsync();
