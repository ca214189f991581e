using System.CommandLine;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Cli.Commands.Admin;

/// <summary>
/// <c>plctl who-can-see</c> (every path to a patient), <c>plctl watch</c> (the change stream) and
/// <c>plctl import</c> (FHIR resources, with progress on standard error). Admin role.
/// </summary>
internal static class AccessCommands
{
    public static Command WhoCanSee()
    {
        var command = new Command("who-can-see", "Who can see a patient, and through which grant, care team or set.");
        var patient = new Argument<string>("patient-id") { Description = "the patient id (without Patient/)" };
        var output = Output.Option();
        command.Arguments.Add(patient);
        command.Options.Add(output);
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            var paths = (await admin.WhoCanSeeAsync(new WhoCanSeeRequest { PatientId = parse.GetValue(patient)! }, cancellationToken: ct)).Paths;
            Output.Rows(parse.GetValue(output)!, paths,
                ("PRINCIPAL", p => p.Principal), ("VIA", p => p.Via), ("ACTIONS", p => p.Actions),
                ("GRANT", p => p.GrantId is "" ? "-" : p.GrantId), ("WHY", p => p.Explanation));
            return 0;
        }));
        return command;
    }

    public static Command Watch()
    {
        var command = new Command("watch", "Stream committed entitlement changes (JSON lines) from a revision on; Ctrl+C stops.");
        var after = new Option<long>("--after") { Description = "start after this revision (resume with the last one printed)" };
        var subject = new Option<string?>("--subject") { Description = "only changes to this entity, e.g. Group/g9245" };
        var limit = new Option<int>("--limit") { Description = "stop after this many changes (0: keep watching)" };
        command.Options.Add(after);
        command.Options.Add(subject);
        command.Options.Add(limit);
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            using var call = admin.Watch(new WatchRequest { AfterRevision = parse.GetValue(after), Subject = parse.GetValue(subject) ?? "" }, cancellationToken: ct);
            var printed = 0;
            var most = parse.GetValue(limit);
            while ((most == 0 || printed < most) && await call.ResponseStream.MoveNext(ct))
            {
                Console.WriteLine(Output.Json.Format(call.ResponseStream.Current));
                printed++;
            }
            return 0;
        }));
        return command;
    }

    public static Command Import()
    {
        var command = new Command("import", "Import FHIR R4 Group, CareTeam, List, PractitionerRole and Consent resources (a resource, a Bundle, or NDJSON) all or nothing.");
        var file = new Argument<FileInfo>("file") { Description = "the FHIR JSON or NDJSON file ('-' reads standard input)" };
        var format = new Option<string?>("--format") { Description = "json or ndjson (default: from the file name, else json)" };
        var reason = GrantCommands.ReasonOption();
        command.Arguments.Add(file);
        command.Options.Add(format);
        command.Options.Add(reason);
        command.SetAction((parse, ct) => GrantCommands.Admin(parse, async admin =>
        {
            var source = parse.GetValue(file)!;
            var content = source.Name == "-" ? await Console.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(source.FullName, ct);
            var kind = parse.GetValue(format) ?? (source.Name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) ? "ndjson" : "json");
            using var call = admin.Import(new ImportRequest { Format = kind, Content = content, Reason = parse.GetValue(reason)! }, cancellationToken: ct);
            ImportProgress? last = null;
            while (await call.ResponseStream.MoveNext(ct))
            {
                last = call.ResponseStream.Current;
                // Progress for people on standard error; the result for scripts on standard output.
                await Console.Error.WriteAsync($"\r{last.Stage,-9} {last.ResourcesApplied}/{last.ResourcesTotal} resources");
            }
            await Console.Error.WriteLineAsync();
            if (last is not { Stage: "done" })
            {
                await Console.Error.WriteLineAsync("the import did not complete; nothing was imported");
                return ServerCall.Refused;
            }
            Console.WriteLine(Output.Json.Format(last));
            return 0;
        }));
        return command;
    }
}
