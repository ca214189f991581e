using System.Text.Json;
using System.Text.Json.Serialization;
using PermissionLayer.Core.Consents;
using PermissionLayer.Core.Requests;

namespace PermissionLayer.Fhir.Consents;

/// <summary>
/// A compiled consent as stored beside its FHIR JSON, so that loading every consent on record (the
/// consent registry at silo start) deserializes a small tree instead of parsing FHIR twice and compiling.
/// The form is stamped with the builds of the compiler and of the consent model that wrote it, and is
/// only read back by exactly those builds: any change to how consents compile — a fix that rejects an
/// element, a new field — makes every stored form stale, and the consent is compiled from its JSON again.
/// A form is a cache of <see cref="ConsentCompiler.Compile"/>, never a second source of meaning.
/// </summary>
public static class CompiledConsentForm
{
    /// <summary>This build's stamp: the module version ids of the consent model and of its compiler.</summary>
    public static readonly string Stamp =
        $"{typeof(CompiledConsent).Assembly.ManifestModule.ModuleVersionId:N}/{typeof(ConsentCompiler).Assembly.ManifestModule.ModuleVersionId:N}";

    private static readonly JsonSerializerOptions Options = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Write(CompiledConsent consent) => JsonSerializer.Serialize(new Form(Stamp, ConsentForm.Of(consent)), Options);

    /// <summary>The consent a form holds; null when another build wrote it (or it cannot be read): compile the JSON then.</summary>
    public static CompiledConsent? Read(string? form)
    {
        // The stamp is checked before anything else is trusted; a form of another build is not read at all.
        if (form is null || !form.Contains(Stamp, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Form>(form, Options) is { } read && read.Stamp == Stamp ? read.Consent.ToConsent() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Form(string Stamp, ConsentForm Consent);

    private sealed record ConsentForm(string Id, string Patient, string Status, ConsentPolicyRule? Rule, ProvisionForm Root)
    {
        public static ConsentForm Of(CompiledConsent c) => new(c.ConsentId, c.PatientId, c.Status, c.PolicyRule, ProvisionForm.Of(c.Root));

        public CompiledConsent ToConsent() => new() { ConsentId = Id, PatientId = Patient, Status = Status, PolicyRule = Rule, Root = Root.ToProvision() };
    }

    private sealed record ProvisionForm(
        string Path, ProvisionType? Type, PeriodForm? Period, ActorForm[] Actors, string[] Actions, string[] Purposes, string[] Classes,
        TokenForm[] Codes, TokenForm[] Labels, PeriodForm? DataPeriod, DataForm[] Data, ProvisionForm[] Children)
    {
        public static ProvisionForm Of(ConsentProvision p) => new(
            p.Path, p.Type, PeriodForm.Of(p.Period), [.. p.Actors.Select(a => new ActorForm(a.Role, a.Reference))],
            Sorted(p.Actions), Sorted(p.Purposes), Sorted(p.Classes), [.. p.Codes.Select(TokenForm.Of)], [.. p.SecurityLabels.Select(TokenForm.Of)],
            PeriodForm.Of(p.DataPeriod), [.. p.Data.Select(d => new DataForm(d.Meaning, d.Reference))], [.. p.Children.Select(Of)]);

        public ConsentProvision ToProvision() => new()
        {
            Path = Path,
            Type = Type,
            Period = Period?.ToPeriod(),
            Actors = [.. Actors.Select(a => new ConsentActor(a.Role, a.Reference))],
            // As the compiler builds them: ordinal sets.
            Actions = new HashSet<string>(Actions, StringComparer.Ordinal),
            Purposes = new HashSet<string>(Purposes, StringComparer.Ordinal),
            Classes = new HashSet<string>(Classes, StringComparer.Ordinal),
            Codes = [.. Codes.Select(t => t.ToToken())],
            SecurityLabels = [.. Labels.Select(t => t.ToToken())],
            DataPeriod = DataPeriod?.ToPeriod(),
            Data = [.. Data.Select(d => new ConsentData(d.Meaning, d.Reference))],
            Children = [.. Children.Select(c => c.ToProvision())],
        };

        private static string[] Sorted(IReadOnlySet<string> values) => [.. values.Order(StringComparer.Ordinal)];
    }

    private sealed record PeriodForm(DateTimeOffset? Start, DateTimeOffset? End, bool StartZoneless, bool EndZoneless)
    {
        public static PeriodForm? Of(ConsentPeriod? p) => p is null ? null : new(p.Start, p.End, p.StartZoneless, p.EndZoneless);

        public ConsentPeriod ToPeriod() => new(Start, End) { StartZoneless = StartZoneless, EndZoneless = EndZoneless };
    }

    /// <summary>System and code apart: a code may itself contain '|'.</summary>
    private sealed record TokenForm(string? System, string Code)
    {
        public static TokenForm Of(Token t) => new(t.System, t.Code);

        public Token ToToken() => new(System, Code);
    }

    private sealed record ActorForm(string Role, string Reference);

    private sealed record DataForm(string Meaning, string Reference);
}
