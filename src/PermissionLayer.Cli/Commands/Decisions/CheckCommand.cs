using System.CommandLine;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Cli.Commands.Decisions;

/// <summary>
/// <c>plctl check</c>: ask a decision and explain it, term by term. Exit code 0 permit, 1 deny, so a
/// script can branch on it. Needs a key with the pep role.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var command = new Command("check", "Ask for a decision and explain it (exit 0 permit, 1 deny).");
        var client = new Option<string>("--client") { Description = "the token's client_id", Required = true };
        var user = new Option<string?>("--user") { Description = "the token's fhirUser, e.g. Practitioner/x" };
        var scope = new Option<string>("--scope") { Description = "the granted scopes, e.g. 'user/Patient.rs'", Required = true };
        var read = new Option<string>("--read") { Description = "the resource to read, Type/id (a Patient, or any type with --patient)", Required = true };
        var patient = new Option<string[]>("--patient") { Description = "patients whose compartment the resource is in (repeatable)", AllowMultipleArgumentsPerToken = true };
        var purpose = new Option<string?>("--purpose") { Description = "purpose of use, e.g. TREAT, HRESCH, BTG" };
        var label = new Option<string[]>("--label") { Description = "the resource's security labels, system|code (repeatable; none: unlabelled)", AllowMultipleArgumentsPerToken = true };
        var output = Output.Option();
        foreach (var option in new Option[] { client, user, scope, read, patient, purpose, label, output })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, ct) => ServerCall.RunAsync(parse, channel => new DecisionService.DecisionServiceClient(channel), async decisions =>
        {
            var target = parse.GetValue(read)!;
            var slash = target.IndexOf('/');
            if (slash <= 0 || slash == target.Length - 1)
            {
                throw new FormatException($"--read: '{target}' is not Type/id");
            }
            var request = new CheckRequest
            {
                Token = new TokenContext
                {
                    ClientId = parse.GetValue(client)!, FhirUser = parse.GetValue(user) ?? "", Scope = parse.GetValue(scope)!,
                    PurposeOfUse = parse.GetValue(purpose) ?? "",
                },
                Interaction = Interaction.Read,
                ResourceType = target[..slash],
                ResourceId = target[(slash + 1)..],
            };
            // The stored state's facts: a Patient is in its own compartment; other types name theirs with --patient.
            request.Stored = new ResourceState { Facts = new ResourceFacts { Complete = true } };
            request.Stored.Facts.Security.AddRange(parse.GetValue(label) ?? []);
            request.Stored.Facts.Patients.AddRange(parse.GetValue(patient) is { Length: > 0 } patients ? patients
                : request.ResourceType == "Patient" ? [request.ResourceId] : []);
            var response = await decisions.CheckAsync(request, cancellationToken: ct);
            if (parse.GetValue(output) == "json")
            {
                Console.WriteLine(Output.Json.Format(response));
            }
            else
            {
                Console.WriteLine($"{(response.Outcome == Outcome.Permit ? "PERMIT" : "DENY")}  decision {response.DecisionId}, revision {response.Revision}");
                Output.Rows("table", response.Reasons,
                    ("TERM", r => r.Term.ToString().ToUpperInvariant()), ("OUTCOME", r => r.Outcome.ToString().ToUpperInvariant()),
                    ("CODE", r => r.Code), ("WHY", r => r.Message));
            }
            return response.Outcome == Outcome.Permit ? 0 : 1;
        }));
        return command;
    }
}
