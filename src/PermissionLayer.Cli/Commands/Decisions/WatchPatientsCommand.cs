using System.CommandLine;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Cli.Commands.Decisions;

/// <summary>
/// <c>plctl watch-patients</c>: the offline-sync feed (WatchAccessiblePatients) as it would reach a
/// device: the snapshot, then the patients that enter and leave, one line each (text or JSON lines).
/// To resume, pass the last revision and context digest it printed. Needs a key with the pep role.
/// </summary>
internal static class WatchPatientsCommand
{
    public static Command Create()
    {
        var command = new Command("watch-patients", "Follow the patients a token may hold offline: a snapshot, then ENTERED/LEFT as access changes; Ctrl+C stops.");
        var client = new Option<string>("--client") { Description = "the token's client_id", Required = true };
        var user = new Option<string?>("--user") { Description = "the token's fhirUser, e.g. Practitioner/x" };
        var scope = new Option<string>("--scope") { Description = "the granted scopes, e.g. 'user/Patient.rs'", Required = true };
        var context = new Option<string[]>("--context") { Description = "fhirContext references, e.g. Group/ward-a (repeatable)", AllowMultipleArgumentsPerToken = true };
        var purpose = new Option<string?>("--purpose") { Description = "purpose of use, e.g. TREAT" };
        var type = new Option<string>("--type") { Description = "the resource type the patients must be reachable for (default Patient)", DefaultValueFactory = _ => "Patient" };
        var after = new Option<long>("--after") { Description = "resume after this revision (with --digest); 0: start with a snapshot" };
        var digest = new Option<string?>("--digest") { Description = "the context digest the resumed revision came with" };
        var limit = new Option<int>("--limit") { Description = "stop after this many messages (0: keep watching)" };
        var output = Output.Option();
        foreach (var option in new Option[] { client, user, scope, context, purpose, type, after, digest, limit, output })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => ServerCall.RunAsync(parse, channel => new DecisionService.DecisionServiceClient(channel), async decisions =>
        {
            var request = new WatchAccessiblePatientsRequest
            {
                Token = new TokenContext
                {
                    ClientId = parse.GetValue(client)!, FhirUser = parse.GetValue(user) ?? "", Scope = parse.GetValue(scope)!,
                    PurposeOfUse = parse.GetValue(purpose) ?? "",
                },
                ResourceType = parse.GetValue(type)!,
                AfterRevision = parse.GetValue(after),
                ContextDigest = parse.GetValue(digest) ?? "",
            };
            request.Token.FhirContext.AddRange(parse.GetValue(context) ?? []);
            using var call = decisions.WatchAccessiblePatients(request, cancellationToken: ct);
            var json = parse.GetValue(output) == "json";
            var most = parse.GetValue(limit);
            var printed = 0;
            try
            {
                while ((most == 0 || printed < most) && await call.ResponseStream.MoveNext(ct))
                {
                    Console.WriteLine(json ? Output.Json.Format(call.ResponseStream.Current) : Describe(call.ResponseStream.Current));
                    printed++;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return 0;
        }));
        return command;
    }

    /// <summary>One line per message, as a person follows it.</summary>
    internal static string Describe(AccessibleChange message) => message.EventCase switch
    {
        AccessibleChange.EventOneofCase.Snapshot => $"SNAPSHOT{(message.Snapshot.Fresh ? " (fresh: replace the set)" : "")} revision {message.Snapshot.Revision}"
            + (message.Snapshot.SnapshotBegin ? " begin" : "") + (message.Snapshot.SnapshotEnd ? " end" : "")
            + (message.Snapshot.AllPatients ? $": every patient except [{string.Join(' ', message.Snapshot.ExcludedPatientIds)}]" : $": [{string.Join(' ', message.Snapshot.PatientIds)}]")
            + (message.Snapshot.SnapshotEnd ? $"  digest {message.Snapshot.ContextDigest}" : ""),
        AccessibleChange.EventOneofCase.Changes => string.Join('\n', message.Changes.Changes.Select(c =>
            $"{(c.Change == AccessChange.Entered ? "ENTERED" : "LEFT   ")} {c.PatientId} at revision {message.Changes.Revision} because {string.Join(", ", c.Because)}")),
        AccessibleChange.EventOneofCase.Heartbeat => $"HEARTBEAT revision {message.Heartbeat.Revision}  digest {message.Heartbeat.ContextDigest}",
        AccessibleChange.EventOneofCase.ResumeRequired => $"RESUME after revision {message.ResumeRequired.AfterRevision}: {message.ResumeRequired.Reason}  digest {message.ResumeRequired.ContextDigest}",
        _ => "(unknown message: update plctl)",
    };
}
