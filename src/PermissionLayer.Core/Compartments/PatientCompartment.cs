namespace PermissionLayer.Core.Compartments;

/// <summary>
/// The R4 Patient CompartmentDefinition (which resource types are in a patient's compartment, and
/// through which search parameters), loaded from the TSV shipped with the code.
/// </summary>
public sealed class PatientCompartment
{
    /// <summary>
    /// Types never in the compartment but routinely read alongside patient data: they pass the
    /// patient/ scope's compartment condition (SMART-SCOPES.md); entitlement terms still apply.
    /// </summary>
    public static readonly IReadOnlySet<string> SharedTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Practitioner", "PractitionerRole", "Organization", "Location", "Medication", "Device",
    };

    public static PatientCompartment R4 { get; } = Load();

    private readonly Dictionary<string, IReadOnlyList<string>> _members;

    private PatientCompartment(Dictionary<string, IReadOnlyList<string>> members) => _members = members;

    /// <summary>Whether instances of the type can be in a patient's compartment (Patient itself is).</summary>
    public bool Contains(string resourceType) => resourceType == "Patient" || _members.ContainsKey(resourceType);

    /// <summary>The search parameters that link the type to the patient (e.g. Observation: subject, performer).</summary>
    public IReadOnlyList<string> ParametersOf(string resourceType) =>
        _members.TryGetValue(resourceType, out var parameters) ? parameters : [];

    private static PatientCompartment Load()
    {
        using var stream = typeof(PatientCompartment).Assembly.GetManifestResourceStream("r4-patient-compartment.tsv")
            ?? throw new InvalidOperationException("the R4 patient compartment table is not embedded");
        using var reader = new StreamReader(stream);
        var members = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        reader.ReadLine(); // header: resource_type, in_patient_compartment, search_params
        while (reader.ReadLine() is { } line)
        {
            var columns = line.Split('\t');
            if (columns.Length >= 2 && columns[1] == "yes")
            {
                members[columns[0]] = columns.Length > 2 ? columns[2].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
            }
        }
        return new PatientCompartment(members);
    }
}
