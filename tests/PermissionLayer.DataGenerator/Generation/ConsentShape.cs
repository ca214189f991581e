namespace PermissionLayer.DataGenerator.Generation;

/// <summary>
/// What one generated Consent says, in the terms a peer engine needs to express it: the patient, the
/// base stance, and the restriction. <see cref="Kind"/> is one of deny-organization (another
/// organization's staff may not access, except for emergency treatment), deny-practitioner (one named
/// practitioner, during a period), deny-labels (data labelled PSY or HIV), deny-research (purpose
/// HRESCH; and tobacco-use Observations recorded 2020–2021), opt-out (OPTOUT: only the patient's own
/// organization, for treatment, Observation/Condition/Patient data, during a period).
/// </summary>
public sealed record ConsentShape(int Index, long Patient, string Kind, string Status, int? Organization, int? Practitioner)
{
    public static ConsentShape Of(HospitalNetwork network, int c)
    {
        var random = network.Random("consent", c);
        var patient = network.ConsentPatients[c];
        var own = network.OrganizationOfPatient(patient);
        var status = random.Chance(0.05) ? "inactive" : "active";
        var roll = random.NextDouble();
        return roll switch
        {
            < 0.35 => new ConsentShape(c, patient, "deny-organization", status, (own + 1 + random.Next(Math.Max(1, network.Size.Organizations - 1))) % network.Size.Organizations, null),
            < 0.50 => new ConsentShape(c, patient, "deny-practitioner", status, null, network.PractitionerOfOrganization(own, random.Next(1 << 20))),
            < 0.70 => new ConsentShape(c, patient, "deny-labels", status, null, null),
            < 0.85 => new ConsentShape(c, patient, "deny-research", status, null, null),
            _ => new ConsentShape(c, patient, "opt-out", status, own, null),
        };
    }
}
