namespace PermissionLayer.Server.Tests.Consistency.Model;

/// <summary>
/// The suite's Observation written another way: a label in another valid system (issue 13, class 4:
/// <c>http://hl7.org/fhir/v3/Confidentiality</c>, <c>urn:oid:2.16.840.1.113883.5.25</c>,
/// <c>http://hl7.org/fhir/v3/ActCode</c>), or its code without a system. <see cref="Canonical"/> is the
/// label it means (null: the unlabelled read). An equivalent writing must get the canonical answer; a
/// bare code says less, so it may get less, never more.
/// </summary>
internal sealed record DataVariant(string Name, string? Label, string Code, string? Canonical, bool Equivalent)
{
    public const string LoincCode = "http://loinc.org|8867-4";

    public static readonly IReadOnlyList<DataVariant> All =
    [
        new("R as http://hl7.org/fhir/v3/Confidentiality", "http://hl7.org/fhir/v3/Confidentiality|R", LoincCode, Labels.Restricted, true),
        new("R as urn:oid:2.16.840.1.113883.5.25", "urn:oid:2.16.840.1.113883.5.25|R", LoincCode, Labels.Restricted, true),
        new("HIV as http://hl7.org/fhir/v3/ActCode", "http://hl7.org/fhir/v3/ActCode|HIV", LoincCode, Labels.Hiv, true),
        new("code 8867-4 without its system", null, "8867-4", null, false),
    ];

    public static DataVariant Named(string name) => All.First(v => v.Name == name);
}
