using System.CommandLine;
using Google.Protobuf;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Cli.Commands.Admin;

/// <summary>
/// plctl for the other entitlement facts: group membership, care teams, client registrations,
/// consents, atomic batches, and everything about one principal. Admin role. Each prints the
/// server's answer as JSON (with the revision of the change).
/// </summary>
internal static class EntityCommands
{
    public static Command Members()
    {
        var command = new Command("members", "Add and remove members of a Group (or, with --organization, an Organization's patients) in one commit.");
        var set = new Argument<string>("id") { Description = "the Group id (or Organization id with --organization)" };
        var add = new Option<string[]>("--add") { Description = "patient ids to add (repeatable)", AllowMultipleArgumentsPerToken = true };
        var remove = new Option<string[]>("--remove") { Description = "patient ids to remove (repeatable)", AllowMultipleArgumentsPerToken = true };
        var organization = new Option<bool>("--organization") { Description = "the id is an Organization's" };
        var reason = GrantCommands.ReasonOption();
        command.Arguments.Add(set);
        foreach (var option in new Option[] { add, remove, organization, reason })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            var upserts = (parse.GetValue(add) ?? []).Select(p => new GroupMember { PatientId = p }).ToList();
            var removals = parse.GetValue(remove) ?? [];
            IMessage answer;
            if (parse.GetValue(organization))
            {
                var request = new ChangeOrganizationPatientsRequest { OrganizationId = parse.GetValue(set)!, Reason = parse.GetValue(reason)! };
                request.Upsert.AddRange(upserts);
                request.Remove.AddRange(removals);
                answer = await admin.ChangeOrganizationPatientsAsync(request, cancellationToken: ct);
            }
            else
            {
                var request = new ChangeGroupMembersRequest { GroupId = parse.GetValue(set)!, Reason = parse.GetValue(reason)! };
                request.Upsert.AddRange(upserts);
                request.Remove.AddRange(removals);
                answer = await admin.ChangeGroupMembersAsync(request, cancellationToken: ct);
            }
            Console.WriteLine(Output.Json.Format(answer));
            return 0;
        }));
        return command;
    }

    public static Command CareTeam()
    {
        var command = new Command("careteam", "Create or replace a care team: participants reach its subject while it is active and in period.");
        var id = new Argument<string>("id") { Description = "the CareTeam id" };
        var subject = new Option<string>("--subject") { Description = "the subject patient id", Required = true };
        var participants = new Option<string[]>("--participant") { Description = "Practitioner/x (repeatable)", AllowMultipleArgumentsPerToken = true };
        var status = new Option<string>("--status") { Description = "proposed, active, suspended, inactive, entered-in-error", DefaultValueFactory = _ => "active" };
        var reason = GrantCommands.ReasonOption();
        command.Arguments.Add(id);
        foreach (var option in new Option[] { subject, participants, status, reason })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            var request = new PutCareTeamRequest
            {
                CareTeamId = parse.GetValue(id)!, SubjectPatientId = parse.GetValue(subject)!, Status = parse.GetValue(status)!, Reason = parse.GetValue(reason)!,
            };
            request.Participants.AddRange(parse.GetValue(participants) ?? []);
            Console.WriteLine(Output.Json.Format(await admin.PutCareTeamAsync(request, cancellationToken: ct)));
            return 0;
        }));
        return command;
    }

    public static Command Client()
    {
        var command = new Command("client", "Register a client application (or change its status or scope ceiling).");
        var id = new Argument<string>("client-id") { Description = "the OAuth client_id" };
        var name = new Option<string>("--name") { Description = "a readable name", Required = true };
        var status = new Option<string>("--status") { Description = "active or suspended", DefaultValueFactory = _ => "active" };
        var ceiling = new Option<string>("--scope-ceiling") { Description = "the most its tokens may carry, e.g. 'user/*.rs'", Required = true };
        var reason = GrantCommands.ReasonOption();
        command.Arguments.Add(id);
        foreach (var option in new Option[] { name, status, ceiling, reason })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            var answer = await admin.PutClientRegistrationAsync(new PutClientRegistrationRequest
            {
                ClientId = parse.GetValue(id)!, Name = parse.GetValue(name)!, Status = parse.GetValue(status)!,
                ScopeCeiling = parse.GetValue(ceiling)!, Reason = parse.GetValue(reason)!,
            }, cancellationToken: ct);
            Console.WriteLine(Output.Json.Format(answer));
            return 0;
        }));
        return command;
    }

    public static Command Consent()
    {
        var command = new Command("consent", "Put a FHIR R4 Consent (JSON file) or withdraw one.");
        var put = new Command("put", "Store a Consent as received and apply it from the next decision.");
        var file = new Argument<FileInfo>("file") { Description = "the Consent JSON" };
        var reason = GrantCommands.ReasonOption();
        put.Arguments.Add(file);
        put.Options.Add(reason);
        put.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            var json = await File.ReadAllTextAsync(parse.GetValue(file)!.FullName, ct);
            var id = System.Text.Json.JsonDocument.Parse(json).RootElement.TryGetProperty("id", out var value) ? value.GetString() ?? "" : "";
            var answer = await admin.PutConsentAsync(new PutConsentRequest { ConsentId = id, ConsentJson = json, Reason = parse.GetValue(reason)! }, cancellationToken: ct);
            Console.WriteLine(Output.Json.Format(answer));
            return 0;
        }));
        var withdraw = new Command("withdraw", "Withdraw a consent: it stops applying from the next decision (it stays on record).");
        var consentId = new Argument<string>("consent-id");
        var patient = new Option<string>("--patient") { Description = "the patient id the consent is about", Required = true };
        var why = GrantCommands.ReasonOption();
        withdraw.Arguments.Add(consentId);
        withdraw.Options.Add(patient);
        withdraw.Options.Add(why);
        withdraw.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            var answer = await admin.WithdrawConsentAsync(new WithdrawConsentRequest
            {
                ConsentId = parse.GetValue(consentId)!, PatientId = parse.GetValue(patient)!, Reason = parse.GetValue(why)!,
            }, cancellationToken: ct);
            Console.WriteLine(Output.Json.Format(answer));
            return 0;
        }));
        command.Subcommands.Add(put);
        command.Subcommands.Add(withdraw);
        return command;
    }

    public static Command Apply()
    {
        var command = new Command("apply", "Apply a batch of changes (ApplyChangesRequest as JSON) all or nothing.");
        var file = new Argument<FileInfo>("file") { Description = """{"changes":[{"createGrant":{...}},{"revokeGrant":{...}},{"changeGroupMembers":{...}}]}""" };
        command.Arguments.Add(file);
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            ApplyChangesRequest request;
            try
            {
                request = JsonParser.Default.Parse<ApplyChangesRequest>(await File.ReadAllTextAsync(parse.GetValue(file)!.FullName, ct));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new FormatException($"{parse.GetValue(file)!.Name}: not an ApplyChangesRequest: {e.Message}");
            }
            Console.WriteLine(Output.Json.Format(await admin.ApplyChangesAsync(request, cancellationToken: ct)));
            return 0;
        }));
        return command;
    }

    public static Command Describe()
    {
        var command = new Command("describe", "Everything about one principal: grants, care teams, organization roles, client registration.");
        var principal = new Argument<string>("principal") { Description = "Practitioner/x, Patient/x or Client/<client_id>" };
        command.Arguments.Add(principal);
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            Console.WriteLine(Output.Json.Format(await admin.DescribePrincipalAsync(new DescribePrincipalRequest { Principal = parse.GetValue(principal)! }, cancellationToken: ct)));
            return 0;
        }));
        return command;
    }
}
