using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Cli.Commands.Audit;

/// <summary>
/// <c>plctl audit ...</c>: the privacy officer's queries against a running server (auditor role).
/// Streams print one JSON object per line; <c>export</c> prints FHIR AuditEvent NDJSON.
/// Exit codes: 0 done, 1 the chain is broken (<c>verify</c>), 2 bad input, 3 the server refused or failed.
/// </summary>
internal static class AuditCommand
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static Command Create()
    {
        var audit = new Command("audit", "Query the audit log of a running server (needs an API key with the auditor role).");
        audit.Subcommands.Add(Decisions());
        audit.Subcommands.Add(Report());
        audit.Subcommands.Add(Export());
        audit.Subcommands.Add(Verify());
        audit.Subcommands.Add(AdminChanges());
        audit.Subcommands.Add(BreakGlassPending());
        audit.Subcommands.Add(Review());
        audit.Subcommands.Add(Reviews());
        return audit;
    }

    private static Command Decisions()
    {
        var command = new Command("decisions", "Decisions matching the filter, one JSON object per line, in time order.");
        var filter = new DecisionQueryOptions();
        filter.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, client =>
            PrintAsync(client.QueryDecisions(filter.Read(parse), cancellationToken: ct), d => Json.Format(d), ct)));
        return command;
    }

    private static Command Report()
    {
        var command = new Command("report", "Who accessed a patient's record, when, why, permitted or not (one JSON object per line).");
        var patient = new Option<string>("--patient") { Description = "patient id (without Patient/)", Required = true };
        var from = new Option<string?>("--from") { Description = "start of the period (ISO 8601, inclusive)" };
        var to = new Option<string?>("--to") { Description = "end of the period (ISO 8601, exclusive)" };
        command.Options.Add(patient);
        command.Options.Add(from);
        command.Options.Add(to);
        command.SetAction((parse, ct) => RunAsync(parse, client =>
        {
            var request = new PatientAccessReportRequest
            {
                Patient = parse.GetValue(patient)!,
                From = DecisionQueryOptions.Time(parse.GetValue(from), "--from"),
                To = DecisionQueryOptions.Time(parse.GetValue(to), "--to"),
            };
            return PrintAsync(client.PatientAccessReport(request, cancellationToken: ct), e => Json.Format(e), ct);
        }));
        return command;
    }

    private static Command Export()
    {
        var command = new Command("export", "Decisions matching the filter as FHIR R4 AuditEvent NDJSON (IHE BALP shape).");
        var filter = new DecisionQueryOptions();
        filter.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, client =>
            PrintAsync(client.ExportAuditEvents(filter.Read(parse), cancellationToken: ct), line => line.Json, ct)));
        return command;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Verify the hash chains; prints the verdicts and exits 1 at a broken link.");
        var writer = new Option<string?>("--writer") { Description = "one writer id (default: all writers)" };
        command.Options.Add(writer);
        command.SetAction((parse, ct) => RunAsync(parse, async client =>
        {
            var response = await client.VerifyChainAsync(new VerifyChainRequest { WriterId = parse.GetValue(writer) ?? "" }, cancellationToken: ct);
            Console.WriteLine(Json.Format(response));
            return response.Intact ? 0 : 1;
        }));
        return command;
    }

    private static Command AdminChanges()
    {
        var command = new Command("admin-changes", "Admin writes with actor, reason, before and after (one JSON object per line).");
        var actor = new Option<string?>("--actor") { Description = "the actor as recorded (key:<name>/<id>)" };
        var target = new Option<string?>("--target") { Description = "what was changed, e.g. Practitioner/x or Group/g" };
        var operation = new Option<string?>("--operation") { Description = "the kind of change, e.g. grant.created, grant.revoked, group.members-changed" };
        var from = new Option<string?>("--from") { Description = "start of the period (ISO 8601, inclusive)" };
        var to = new Option<string?>("--to") { Description = "end of the period (ISO 8601, exclusive)" };
        foreach (var option in new Option[] { actor, target, operation, from, to })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => RunAsync(parse, client =>
        {
            var query = new AdminChangeQuery
            {
                Actor = parse.GetValue(actor) ?? "",
                Target = parse.GetValue(target) ?? "",
                Operation = parse.GetValue(operation) ?? "",
                From = DecisionQueryOptions.Time(parse.GetValue(from), "--from"),
                To = DecisionQueryOptions.Time(parse.GetValue(to), "--to"),
            };
            return PrintAsync(client.QueryAdminChanges(query, cancellationToken: ct), c => Json.Format(c), ct);
        }));
        return command;
    }

    private static Command BreakGlassPending()
    {
        var command = new Command("break-glass", "Break-the-glass decisions not yet reviewed, oldest first (one JSON object per line).");
        var limit = new Option<int>("--limit") { Description = "most decisions to print (default: all)" };
        command.Options.Add(limit);
        command.SetAction((parse, ct) => RunAsync(parse, client =>
            PrintAsync(client.PendingBreakGlassReviews(new PendingBreakGlassQuery { Limit = parse.GetValue(limit) }, cancellationToken: ct),
                d => Json.Format(d), ct)));
        return command;
    }

    private static Command Review()
    {
        var command = new Command("review", "Record the (final) review of one break-the-glass decision; prints it.");
        var decision = new Argument<string>("decision-id") { Description = "the decision id (decisionId in audit break-glass)" };
        var verdict = new Option<string>("--verdict") { Description = "justified or unjustified", Required = true };
        var note = new Option<string>("--note") { Description = "why, in the reviewer's words", Required = true };
        command.Arguments.Add(decision);
        command.Options.Add(verdict);
        command.Options.Add(note);
        command.SetAction((parse, ct) => RunAsync(parse, async client =>
        {
            // Checked here, not by a parse validator, so that a bad verdict is exit code 2 (bad input) like any other.
            var chosen = parse.GetValue(verdict) switch
            {
                "justified" => BreakGlassVerdict.Justified,
                "unjustified" => BreakGlassVerdict.Unjustified,
                var other => throw new FormatException($"--verdict must be justified or unjustified, not '{other}'"),
            };
            var review = await client.ReviewBreakGlassAsync(new ReviewBreakGlassRequest
            {
                DecisionId = parse.GetValue(decision)!,
                Verdict = chosen,
                Note = parse.GetValue(note)!,
            }, cancellationToken: ct);
            Console.WriteLine(Json.Format(review));
            return 0;
        }));
        return command;
    }

    private static Command Reviews()
    {
        var command = new Command("reviews", "Recorded break-the-glass reviews in the order made (one JSON object per line).");
        var decision = new Option<string?>("--decision") { Description = "only the review of this decision id" };
        var reviewer = new Option<string?>("--reviewer") { Description = "the reviewer as recorded (key:<name>/<id>)" };
        var from = new Option<string?>("--from") { Description = "start of the period of review (ISO 8601, inclusive)" };
        var to = new Option<string?>("--to") { Description = "end of the period of review (ISO 8601, exclusive)" };
        foreach (var option in new Option[] { decision, reviewer, from, to })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => RunAsync(parse, client =>
        {
            var query = new BreakGlassReviewQuery
            {
                DecisionId = parse.GetValue(decision) ?? "",
                Reviewer = parse.GetValue(reviewer) ?? "",
                From = DecisionQueryOptions.Time(parse.GetValue(from), "--from"),
                To = DecisionQueryOptions.Time(parse.GetValue(to), "--to"),
            };
            return PrintAsync(client.QueryBreakGlassReviews(query, cancellationToken: ct), r => Json.Format(r), ct);
        }));
        return command;
    }

    private static Task<int> RunAsync(ParseResult parse, Func<AuditService.AuditServiceClient, Task<int>> run) =>
        ServerCall.RunAsync(parse, channel => new AuditService.AuditServiceClient(channel), run);

    private static Task<int> PrintAsync<T>(AsyncServerStreamingCall<T> call, Func<T, string> format, CancellationToken cancellationToken) =>
        ServerCall.PrintAsync(call, format, cancellationToken);
}
