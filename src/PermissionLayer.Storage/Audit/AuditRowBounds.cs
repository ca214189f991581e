using System.Security.Cryptography;
using System.Text;
using PermissionLayer.Core.Audit;

namespace PermissionLayer.Storage.Audit;

/// <summary>
/// Makes an audit row one PostgreSQL cannot refuse. The edge already rejects such input, but the
/// audit log must not depend on every caller of the writer having been checked: one refused row
/// would fail its whole group commit. A value that holds a NUL or a lone surrogate is stored
/// escaped (<see cref="AuditText.Readable"/>); a value longer than its column's bound is stored as a
/// prefix and a hash of the whole (the indexed columns must fit a B-tree or GIN entry, about 2.7 kB).
/// The exact value of every field so changed goes to <see cref="AuditedDecision.OriginalValues"/>, a
/// column without an index, which the chain hash covers.
/// </summary>
public static class AuditRowBounds
{
    /// <summary>Characters kept of client_id, fhir_user and each patient (indexed): 512 × 4 UTF-8 bytes stays under an index entry's limit.</summary>
    public const int MaxIndexedLength = 512;

    /// <summary>Characters kept of every other text column (reasons excepted: written by the service itself).</summary>
    public const int MaxTextLength = 4096;

    /// <summary>The record itself when it is storable as it is (almost always); else a bounded copy.</summary>
    public static AuditedDecision Bound(AuditedDecision d)
    {
        if (IsStorable(d))
        {
            return d;
        }
        var originals = new List<(string Field, string Value)>();
        var bounded = d with
        {
            Caller = Fit(d.Caller, "caller", MaxTextLength, originals),
            ClientId = Fit(d.ClientId, "client_id", MaxIndexedLength, originals),
            FhirUser = FitNullable(d.FhirUser, "fhir_user", MaxIndexedLength, originals),
            UserOrganization = FitNullable(d.UserOrganization, "user_organization", MaxTextLength, originals),
            Patients = FitList(d.Patients, "patients", MaxIndexedLength, originals),
            Interaction = Fit(d.Interaction, "interaction", MaxTextLength, originals),
            ResourceType = Fit(d.ResourceType, "resource_type", MaxTextLength, originals),
            ResourceId = FitNullable(d.ResourceId, "resource_id", MaxTextLength, originals),
            PurposeOfUse = FitNullable(d.PurposeOfUse, "purpose_of_use", MaxTextLength, originals),
            BreakGlassReason = FitNullable(d.BreakGlassReason, "break_glass_reason", MaxTextLength, originals),
            Jti = FitNullable(d.Jti, "jti", MaxTextLength, originals),
            Outcome = Fit(d.Outcome, "outcome", MaxTextLength, originals),
            DecidingTerm = FitNullable(d.DecidingTerm, "deciding_term", MaxTextLength, originals),
            ReasonsJson = Fit(d.ReasonsJson, "reasons", int.MaxValue, originals),
            Consents = FitList(d.Consents, "consents", MaxTextLength, originals),
        };
        if (d.OriginalValues is { } earlier)
        {
            // Already bounded once (a spilled record read back): keep what it kept, storably.
            originals.Insert(0, ("original_values", earlier));
        }
        return bounded with { OriginalValues = ObjectOf(originals) };
    }

    /// <summary>True when no field needs changing.</summary>
    public static bool IsStorable(AuditedDecision d) =>
        Fits(d.Caller, MaxTextLength) && Fits(d.ClientId, MaxIndexedLength) && Fits(d.FhirUser, MaxIndexedLength)
        && Fits(d.UserOrganization, MaxTextLength) && AllFit(d.Patients, MaxIndexedLength) && Fits(d.Interaction, MaxTextLength)
        && Fits(d.ResourceType, MaxTextLength) && Fits(d.ResourceId, MaxTextLength) && Fits(d.PurposeOfUse, MaxTextLength)
        && Fits(d.BreakGlassReason, MaxTextLength) && Fits(d.Jti, MaxTextLength) && Fits(d.Outcome, MaxTextLength)
        && Fits(d.DecidingTerm, MaxTextLength) && Fits(d.ReasonsJson, int.MaxValue) && AllFit(d.Consents, MaxTextLength)
        && (d.OriginalValues is null || AuditText.IsStorable(d.OriginalValues));

    private static bool Fits(string? value, int max) => value is null || (value.Length <= max && AuditText.IsStorable(value));

    private static bool AllFit(IReadOnlyList<string> values, int max)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!Fits(values[i], max))
            {
                return false;
            }
        }
        return true;
    }

    private static string? FitNullable(string? value, string field, int max, List<(string, string)> originals) =>
        value is null ? null : Fit(value, field, max, originals);

    private static IReadOnlyList<string> FitList(IReadOnlyList<string> values, string field, int max, List<(string, string)> originals) =>
        AllFit(values, max) ? values : [.. values.Select((v, i) => Fit(v, $"{field}[{i}]", max, originals))];

    private static string Fit(string value, string field, int max, List<(string, string)> originals)
    {
        if (Fits(value, max))
        {
            return value;
        }
        originals.Add((field, value));
        var readable = AuditText.Readable(value);
        if (readable.Length <= max)
        {
            return readable;
        }
        // A prefix people can read and search by, and a hash that tells two long values apart.
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AuditText.JsonString(value))))[..32];
        var suffix = $"…({value.Length} characters, sha256 {digest})";
        var keep = max - suffix.Length;
        if (char.IsHighSurrogate(readable[keep - 1]))
        {
            keep--; // never cut a pair in two
        }
        return readable[..keep] + suffix;
    }

    private static string ObjectOf(List<(string Field, string Value)> originals) =>
        "{" + string.Join(",", originals.Select(o => $"{AuditText.JsonString(o.Field)}:{AuditText.JsonString(o.Value)}")) + "}";
}
