using System.Collections.Frozen;
using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Requests;

/// <summary>
/// The documented maximum of every string and list a request may carry (README, "Limits"), and the
/// characters each may hold, by the API's field name. Checked before any work: a request over a
/// limit never reaches a grain, PostgreSQL or the audit log, and its error names the field. A field
/// not listed is one line of at most <see cref="DefaultMaxLength"/> characters; a list not listed
/// has at most <see cref="DefaultMaxItems"/> items.
/// </summary>
public static class FieldLimits
{
    public const int DefaultMaxLength = 1024;
    public const int DefaultMaxItems = 1000;
    public const int MaxIdLength = 64;
    public const int MaxClientIdLength = 128;
    public const int MaxReferenceLength = 256;
    public const int MaxReasonLength = 1024;
    public const int MaxScopeLength = 4096;
    public const int MaxQueryLength = 8192;

    /// <summary>
    /// Most changes one ApplyChanges batch may carry. Its set-based transaction holds the revision
    /// lock every admin write waits for; at this size that is about 2 s on a busy 2-core machine
    /// (docs/reliability.md, "ApplyChanges"), so a concurrent single write stays far from Orleans'
    /// 30 s call timeout.
    /// </summary>
    public const int MaxBatchChanges = 1000;

    private static readonly FieldRule Id = new(TextKind.FhirId, MaxIdLength);
    private static readonly FieldRule Reference = new(TextKind.Line, MaxReferenceLength);
    private static readonly FieldRule Reason = new(TextKind.Text, MaxReasonLength);
    private static readonly FieldRule Document = new(TextKind.Document, int.MaxValue);

    private static readonly FrozenDictionary<string, FieldRule> Rules = new Dictionary<string, FieldRule>
    {
        // Ids: FHIR's id grammar.
        ["resource_id"] = Id, ["launch_patient"] = Id, ["patients"] = Id, ["patient_id"] = Id, ["patient"] = Id,
        ["subject_patient_id"] = Id, ["remove"] = new(TextKind.FhirId, MaxIdLength, 100_000), ["group_id"] = Id,
        ["organization_id"] = Id, ["care_team_id"] = Id, ["consent_id"] = Id,
        ["client_id"] = new(TextKind.Line, MaxClientIdLength),
        ["grant_id"] = new(TextKind.Line, MaxIdLength), ["id"] = new(TextKind.Line, MaxIdLength), ["writer_id"] = new(TextKind.Line, MaxIdLength),
        ["decision_id"] = new(TextKind.Line, MaxIdLength), ["reviewer"] = Reference,
        // References Type/id.
        ["fhir_user"] = Reference, ["principal"] = Reference, ["target"] = Reference, ["member"] = Reference, ["subject"] = Reference,
        ["reference"] = Reference, ["actor"] = Reference, ["granted_by"] = Reference,
        ["fhir_context"] = new(TextKind.Line, MaxReferenceLength, 32),
        ["user_affiliations"] = new(TextKind.Line, MaxReferenceLength, 64),
        ["participants"] = Reference,
        // Tokens, codes and names of things.
        ["jti"] = new(TextKind.Line, 256),
        ["scope"] = new(TextKind.Line, MaxScopeLength), ["scope_ceiling"] = new(TextKind.Line, MaxScopeLength),
        ["purpose_of_use"] = new(TextKind.Purpose, PurposeOfUse.MaxSystemLength + 1 + PurposeOfUse.MaxCodeLength),
        ["purposes"] = new(TextKind.Purpose, PurposeOfUse.MaxSystemLength + 1 + PurposeOfUse.MaxCodeLength, 32),
        ["category"] = new(TextKind.Line, 512), ["code"] = new(TextKind.Line, 512), ["tag"] = new(TextKind.Line, 512),
        ["security"] = new(TextKind.Line, 512),
        ["resource_type"] = new(TextKind.Line, 64), ["resource_types"] = new(TextKind.Line, 64, 200),
        ["carried_types"] = new(TextKind.Line, 64, 200),
        ["sensitivity_categories"] = new(TextKind.Line, 64, 64),
        ["status"] = new(TextKind.Line, 64), ["actions"] = new(TextKind.Line, 16), ["clearance"] = new(TextKind.Line, 16),
        ["operation"] = new(TextKind.Line, 64), ["format"] = new(TextKind.Line, 32), ["cursor"] = new(TextKind.Line, 1024),
        ["query"] = new(TextKind.Line, MaxQueryLength),
        // Free text.
        ["reason"] = Reason, ["break_glass_reason"] = Reason, ["note"] = Reason, ["name"] = new(TextKind.Text, 256),
        // Documents: bounded by the request size of their RPC.
        ["fhir_json"] = Document, ["consent_json"] = Document, ["content"] = Document,
        // Lists of messages.
        ["upsert"] = new(TextKind.Line, 0, 100_000), ["participant_periods"] = new(TextKind.Line, 0, 1000),
        ["changes"] = new(TextKind.Line, 0, MaxBatchChanges),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FieldRule Default = new(TextKind.Line, DefaultMaxLength);

    /// <summary>The rule of a field by its API name (the last part of its path, e.g. <c>client_id</c>).</summary>
    public static FieldRule For(string field) => Rules.GetValueOrDefault(field, Default);

    /// <summary>What is wrong with <paramref name="value"/> under <paramref name="rule"/>, or null when nothing is.</summary>
    public static string? Problem(string value, FieldRule rule)
    {
        if (value.Length > rule.MaxLength)
        {
            return $"is {value.Length} characters long; at most {rule.MaxLength} are allowed";
        }
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return $"holds a lone surrogate at character {i} (not valid Unicode)";
            }
            if (c == '\0' || (char.IsControl(c) && !Allowed(c, rule.Kind)))
            {
                return $"holds the control character U+{(int)c:X4} at character {i}";
            }
        }
        if (value.Length == 0)
        {
            return null; // emptiness is each field's own rule (required or not)
        }
        return rule.Kind switch
        {
            TextKind.FhirId when !FhirReference.IsId(value) => $"'{Quote.Short(value)}' is not a FHIR id ([A-Za-z0-9-.], 1 to 64 characters)",
            TextKind.Purpose when !PurposeOfUse.IsValid(value) =>
                $"'{Quote.Short(value)}' is not a purpose of use (a v3 PurposeOfUse code such as TREAT, or system|code)",
            _ => null,
        };
    }

    private static bool Allowed(char c, TextKind kind) => kind switch
    {
        TextKind.Text => c is '\t' or '\n' or '\r',
        TextKind.Document => c != '\0',
        _ => false,
    };
}
