namespace PermissionLayer.Storage.Changes;

/// <summary>
/// One entity whose in-memory holder (a grain activation) a committed change makes out of date,
/// recorded with the change (<see cref="EntitlementChangeRow.Entities"/>) as <c>kind:key</c>, where
/// the key is the holding grain's key. Each silo reads them from the change log to find which of its
/// activations must reload before it may report the change's revision.
/// </summary>
/// <param name="Kind">One of the constants below: which kind of grain holds the entity.</param>
/// <param name="Key">The grain key (e.g. <c>Practitioner/a</c>, a patient id, a group key).</param>
public sealed record ChangedEntity(string Kind, string Key)
{
    /// <summary>A principal's grants, roles and the list of care teams naming it (key: the principal reference).</summary>
    public const string Principal = "principal";

    /// <summary>A client's registration (key: the client id).</summary>
    public const string ClientRegistration = "client";

    /// <summary>A patient's consents (key: the patient id).</summary>
    public const string PatientConsent = "consent";

    /// <summary>A set of patients: a Group's members or an Organization's patients (key: the set's grain key).</summary>
    public const string PatientSet = "group";

    /// <summary>A care team (key: the team id).</summary>
    public const string CareTeam = "careteam";

    public static ChangedEntity PrincipalOf(string principal) => new(Principal, principal);

    public static ChangedEntity ClientOf(string clientId) => new(ClientRegistration, clientId);

    public static ChangedEntity ConsentsOf(string patientId) => new(PatientConsent, patientId);

    public static ChangedEntity SetOf(string setKey) => new(PatientSet, setKey);

    public static ChangedEntity TeamOf(string careTeamId) => new(CareTeam, careTeamId);

    /// <summary>As stored: <c>kind:key</c> (kinds hold no colon, so the first one separates).</summary>
    public string Reference => $"{Kind}:{Key}";

    public override string ToString() => Reference;

    public static ChangedEntity Parse(string reference)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0
            ? throw new FormatException($"'{reference}' is not a changed-entity reference (kind:key)")
            : new ChangedEntity(reference[..colon], reference[(colon + 1)..]);
    }
}
