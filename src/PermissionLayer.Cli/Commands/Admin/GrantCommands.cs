using System.CommandLine;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Cli.Commands.Admin;

/// <summary><c>plctl grant</c>, <c>plctl revoke</c>, <c>plctl grants</c>: a principal's grants (admin role).</summary>
internal static class GrantCommands
{
    public static Command Grant()
    {
        var command = new Command("grant", "Grant a principal access to a target; prints the grant and its revision.");
        var principal = new Argument<string>("principal") { Description = "who: Practitioner/x, Patient/x or Client/<client_id>" };
        var target = new Argument<string>("target") { Description = "what: Patient/p, Group/g, CareTeam/c, Organization/o or * (all patients)" };
        var actions = new Option<string>("--actions") { Description = "cruds letters", DefaultValueFactory = _ => "rs" };
        var reason = ReasonOption();
        var types = new Option<string[]>("--resource-type") { Description = "only these resource types (repeatable)", AllowMultipleArgumentsPerToken = true };
        var until = new Option<string?>("--valid-until") { Description = "end of the grant (ISO 8601, exclusive)" };
        command.Arguments.Add(principal);
        command.Arguments.Add(target);
        foreach (var option in new Option[] { actions, reason, types, until })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => Admin(parse, async admin =>
        {
            var grant = new Contracts.V1.Grant
            {
                Principal = parse.GetValue(principal)!, Target = parse.GetValue(target)!, Actions = parse.GetValue(actions)!,
                Reason = parse.GetValue(reason)!, ValidUntil = Audit.DecisionQueryOptions.Time(parse.GetValue(until), "--valid-until"),
            };
            grant.ResourceTypes.AddRange(parse.GetValue(types) ?? []);
            var created = await admin.CreateGrantAsync(new CreateGrantRequest { Grant = grant }, cancellationToken: ct);
            Console.WriteLine(Output.Json.Format(created));
            return 0;
        }));
        return command;
    }

    public static Command Revoke()
    {
        var command = new Command("revoke", "Revoke a grant; seen by the very next decision.");
        var principal = new Argument<string>("principal") { Description = "the grant's principal" };
        var grantId = new Argument<string>("grant-id") { Description = "the grant's id (plctl grants <principal> lists them)" };
        var reason = ReasonOption();
        command.Arguments.Add(principal);
        command.Arguments.Add(grantId);
        command.Options.Add(reason);
        command.SetAction((parse, ct) => Admin(parse, async admin =>
        {
            var revoked = await admin.RevokeGrantAsync(new RevokeGrantRequest
            {
                Principal = parse.GetValue(principal)!, GrantId = parse.GetValue(grantId)!, Reason = parse.GetValue(reason)!,
            }, cancellationToken: ct);
            Console.WriteLine(Output.Json.Format(revoked));
            return 0;
        }));
        return command;
    }

    public static Command List()
    {
        var command = new Command("grants", "List a principal's grants, revoked ones included.");
        var principal = new Argument<string>("principal") { Description = "Practitioner/x, Patient/x or Client/<client_id>" };
        var output = Output.Option();
        command.Arguments.Add(principal);
        command.Options.Add(output);
        command.SetAction((parse, ct) => Admin(parse, async admin =>
        {
            var grants = (await admin.ListGrantsAsync(new ListGrantsRequest { Principal = parse.GetValue(principal)! }, cancellationToken: ct)).Grants;
            Output.Rows(parse.GetValue(output)!, grants,
                ("ID", g => g.Id), ("TARGET", g => g.Target), ("ACTIONS", g => g.Actions),
                ("VALID UNTIL", g => g.ValidUntil?.ToDateTimeOffset().ToString("u") ?? "-"),
                ("REVOKED", g => g.RevokedAt is null ? "-" : g.RevokedAt.ToDateTimeOffset().ToString("u")), ("REASON", g => g.Reason));
            return 0;
        }));
        return command;
    }

    public static Option<string> ReasonOption() => new("--reason") { Description = "why (required; recorded in the change log)", Required = true };

    public static Task<int> Admin(ParseResult parse, Func<AdminService.AdminServiceClient, Task<int>> run) =>
        ServerCall.RunAsync(parse, channel => new AdminService.AdminServiceClient(channel), run);
}
