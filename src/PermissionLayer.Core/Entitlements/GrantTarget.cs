using System.Diagnostics.CodeAnalysis;
using PermissionLayer.Core.References;

namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// What a grant reaches: every patient, one patient, a Group's or an Organization's patients, or a
/// CareTeam's subject. Parsed once, where a grant is created or loaded; its <see cref="ToString"/> is
/// the wire and storage form (<c>*</c>, <c>Patient/a</c>, ...). The cases are closed (the constructor is
/// private), so the entitlement walk's switch over them is exhaustive and no rule parses a prefix.
/// </summary>
public abstract record GrantTarget
{
    /// <summary>The wire form of the target that reaches every patient.</summary>
    public const string AllPatients = "*";

    public static readonly IReadOnlySet<string> Types =
        new HashSet<string>(StringComparer.Ordinal) { "Patient", "Group", "CareTeam", "Organization" };

    /// <summary>The one target that reaches every patient.</summary>
    public static readonly GrantTarget Everyone = new EveryoneTarget();

    private GrantTarget()
    {
    }

    /// <summary>Every patient (<c>*</c>).</summary>
    public sealed record EveryoneTarget : GrantTarget
    {
        internal EveryoneTarget()
        {
        }

        public override string ToString() => AllPatients;
    }

    /// <summary>Exactly one patient.</summary>
    public sealed record Patient(string Id) : GrantTarget
    {
        public override string ToString() => $"Patient/{Id}";
    }

    /// <summary>The members of a FHIR Group, each during their period.</summary>
    public sealed record Group(string Id) : GrantTarget
    {
        public override string ToString() => $"Group/{Id}";
    }

    /// <summary>An Organization's patients, each during their period.</summary>
    public sealed record Organization(string Id) : GrantTarget
    {
        public override string ToString() => $"Organization/{Id}";
    }

    /// <summary>The subject of a CareTeam, while the team is in force.</summary>
    public sealed record CareTeam(string Id) : GrantTarget
    {
        public override string ToString() => $"CareTeam/{Id}";
    }

    /// <summary>Whether the target is a set of patients with member periods (a Group or an Organization).</summary>
    public bool IsPatientSet => this is Group or Organization;

    /// <summary>Validates a target string, returning an error message naming the problem, or null.</summary>
    public static string? Validate(string? target)
    {
        if (target == AllPatients)
        {
            return null;
        }
        if (!FhirReference.TryParse(target, out var reference))
        {
            return $"target '{target}' is not of the form Type/id or '*'";
        }
        return Types.Contains(reference.Value.Type)
            ? null
            : $"target type '{reference.Value.Type}' is not one of {string.Join(", ", Types)} (or '*')";
    }

    /// <summary>Parses the wire form; false (and null) for anything <see cref="Validate"/> rejects.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out GrantTarget? target)
    {
        target = null;
        if (Validate(text) is not null)
        {
            return false;
        }
        if (text == AllPatients)
        {
            target = Everyone;
            return true;
        }
        var reference = FhirReference.TryParse(text, out var parsed) ? parsed.Value : default;
        target = reference.Type switch
        {
            "Patient" => new Patient(reference.Id),
            "Group" => new Group(reference.Id),
            "Organization" => new Organization(reference.Id),
            "CareTeam" => new CareTeam(reference.Id),
            _ => null,
        };
        return target is not null;
    }

    /// <summary>Parses the wire form, throwing <see cref="FormatException"/> with <see cref="Validate"/>'s message.</summary>
    public static GrantTarget Parse(string? text) =>
        TryParse(text, out var target) ? target : throw new FormatException(Validate(text) ?? $"target '{text}' is not a grant target");

    public abstract override string ToString();
}
