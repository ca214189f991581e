using System.CommandLine;
using System.Globalization;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Cli.Commands.Audit;

/// <summary>The filter options shared by <c>audit decisions</c> and <c>audit export</c>.</summary>
internal sealed class DecisionQueryOptions
{
    private readonly Option<string?> _patient = new("--patient") { Description = "patient id (without Patient/)" };
    private readonly Option<string?> _user = new("--user") { Description = "fhirUser, e.g. Practitioner/x" };
    private readonly Option<string?> _client = new("--client") { Description = "OAuth client_id" };
    private readonly Option<string?> _outcome = new("--outcome") { Description = "permit or deny" };
    private readonly Option<string?> _purpose = new("--purpose") { Description = "purpose of use, e.g. TREAT or BTG" };
    private readonly Option<bool> _breakGlass = new("--break-glass") { Description = "only break-the-glass decisions" };
    private readonly Option<string?> _from = new("--from") { Description = "start of the period (ISO 8601, inclusive)" };
    private readonly Option<string?> _to = new("--to") { Description = "end of the period (ISO 8601, exclusive)" };
    private readonly Option<string?> _cursor = new("--cursor") { Description = "resume after the item that carried this cursor" };
    private readonly Option<int> _limit = new("--limit") { Description = "most items (0: all)" };

    public void AddTo(Command command)
    {
        _outcome.AcceptOnlyFromAmong("permit", "deny");
        foreach (var option in new Option[] { _patient, _user, _client, _outcome, _purpose, _breakGlass, _from, _to, _cursor, _limit })
        {
            command.Options.Add(option);
        }
    }

    public DecisionQuery Read(ParseResult parse) => new()
    {
        Patient = parse.GetValue(_patient) ?? "",
        FhirUser = parse.GetValue(_user) ?? "",
        ClientId = parse.GetValue(_client) ?? "",
        Outcome = parse.GetValue(_outcome) switch
        {
            "permit" => Outcome.Permit,
            "deny" => Outcome.Deny,
            _ => Outcome.Unspecified,
        },
        PurposeOfUse = parse.GetValue(_purpose) ?? "",
        BreakGlassOnly = parse.GetValue(_breakGlass),
        From = Time(parse.GetValue(_from), "--from"),
        To = Time(parse.GetValue(_to), "--to"),
        Cursor = parse.GetValue(_cursor) ?? "",
        Limit = parse.GetValue(_limit),
    };

    public static Timestamp? Time(string? text, string option) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Timestamp.FromDateTimeOffset(time)
            : throw new FormatException($"{option}: '{text}' is not a date and time (ISO 8601)");
}
