using PermissionLayer.Core.Scopes;

namespace PermissionLayer.Core.Tests.Requests;

/// <summary>
/// Which patients a query confines itself to. A parameter the type does not have as a patient link
/// (Patient?patient=x, Group?subject=x) is ignored by a lenient FHIR server, so it names nobody: the
/// search is then untargeted (its obligation confines it) and a conditional write is confined (review 8).
/// </summary>
public sealed class TargetedPatientsTests
{
    /// <summary>A bare subject id may be a Group's or a Device's to a FHIR server (review 11).</summary>
    [Theory]
    [InlineData("Observation", "subject=a", "")]
    [InlineData("Observation", "subject=a,Patient/b", "")]
    [InlineData("Observation", "subject=Patient/a", "a")]
    [InlineData("Observation", "subject:Patient=a", "a")]
    [InlineData("Observation", "patient=a", "a")]
    [InlineData("Patient", "_id=a", "a")]
    public void Only_unambiguous_patient_values_surely_name_patients(string type, string query, string expected)
    {
        var targeted = SearchQuery.Parse(query).SurelyTargetedPatients(type);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), targeted);
    }

    [Theory]
    [InlineData("Observation", "patient=a", "a")]
    [InlineData("Observation", "subject=Patient/a", "a")]
    [InlineData("Observation", "subject:Patient=a,b", "a,b")]
    [InlineData("AllergyIntolerance", "patient=a", "a")]
    [InlineData("Appointment", "patient=a", "a")]
    [InlineData("Patient", "_id=a", "a")]
    [InlineData("*", "patient=a", "a")]
    [InlineData("Patient", "patient=a", "")]
    [InlineData("Patient", "subject=a", "")]
    [InlineData("Patient", "subject:Patient=a", "")]
    [InlineData("AllergyIntolerance", "subject=a", "")]
    [InlineData("Appointment", "subject=a", "")]
    [InlineData("Medication", "patient=a", "")]
    [InlineData("Observation", "subject=Group/g", "")]
    public void Only_patient_links_the_type_has_name_patients(string type, string query, string expected)
    {
        var targeted = SearchQuery.Parse(query).TargetedPatients(type);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), targeted);
    }
}
