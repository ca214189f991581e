using System.Diagnostics.CodeAnalysis;

namespace PermissionLayer.Core.Entitlements;

/// <summary>
/// A principal as a typed value: its kind (<c>Practitioner</c>, <c>Patient</c>, ..., <c>Client</c>) and
/// id. The decision rules ask it what they need (<see cref="IsClient"/>, <see cref="IsPatient"/>,
/// <see cref="IsPatientUser"/>) instead of comparing prefixes. <see cref="ToString"/> is the grain key.
/// </summary>
public sealed record PrincipalRef(string Kind, string Id)
{
    private const string ClientKind = "Client";
    private const string PatientKind = "Patient";

    /// <summary>A client application, as <c>Client/&lt;client_id&gt;</c>.</summary>
    public bool IsClient => Kind == ClientKind;

    /// <summary>A patient using a portal (<c>Patient/x</c>).</summary>
    public bool IsPatient => Kind == PatientKind;

    /// <summary>A user, i.e. not a client: whose grants clear the user, who may break the glass.</summary>
    public bool IsUser => !IsClient;

    /// <summary>Whether this principal is the patient <paramref name="patientId"/> itself (own compartment).</summary>
    public bool IsPatientUser(string patientId) => IsPatient && Id == patientId;

    public static PrincipalRef ForClient(string clientId) => new(ClientKind, clientId);

    /// <summary>Parses a principal <see cref="Principal.Validate"/> accepts; false for anything else.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PrincipalRef? principal)
    {
        principal = text is not null && Principal.Validate(text) is null ? FromKey(text) : null;
        return principal is not null;
    }

    /// <summary>
    /// Why <paramref name="text"/> is not a user — a principal that is not a client app (a token's
    /// fhirUser, a care-team participant): <c>Client/x</c> would let one client borrow another's
    /// entitlements as its user's. Null when it is a user.
    /// </summary>
    public static string? ValidateUser(string? text) =>
        !TryParse(text, out var principal) ? Principal.Validate(text)
        : principal.IsClient ? $"'{Requests.Quote.Short(text!)}' names a client app, not a user"
        : null;

    /// <summary>Parses a principal, throwing <see cref="FormatException"/> with <see cref="Principal.Validate"/>'s message.</summary>
    public static PrincipalRef Parse(string? text) =>
        TryParse(text, out var principal) ? principal : throw new FormatException(Principal.Validate(text));

    /// <summary>
    /// The principal a grain key names, unvalidated (keys were validated where the entitlements were
    /// written; one that was not reaches nothing): the kind is what precedes the first '/', so a key
    /// that lacks one has no kind and is neither a client nor a patient.
    /// </summary>
    public static PrincipalRef FromKey(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? new PrincipalRef("", key) : new PrincipalRef(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => Kind.Length == 0 ? Id : $"{Kind}/{Id}";
}
