using Google.Protobuf.WellKnownTypes;
using PermissionLayer.LoadGenerator.Cerbos;

namespace PermissionLayer.LoadGenerator.Peers;

/// <summary>
/// A <see cref="PeerCase"/> as a Cerbos user would send it: the practitioner as the principal (role
/// practitioner) with the entitlements as attributes (panel patient ids, ward ids, the labels each ward
/// grant clears, care-team patients, the organization, the client app and purpose of the token), the
/// Observation as the resource with the patient's facts (her id, organization, current wards, consents)
/// and the data's labels, code and recorded date. deploy/local/peers/cerbos/observation.yaml decides it.
/// </summary>
internal static class CerbosRequests
{
    public const string Action = "read";

    public static CheckResourcesRequest For(PeerCase c)
    {
        var principal = new Principal { Id = c.Practitioner, Roles = { "practitioner" } };
        principal.Attr["organization"] = Value.ForString(c.PractitionerOrganization);
        principal.Attr["panel"] = Strings(c.Panel);
        principal.Attr["wards"] = Strings(c.WardGrants.Where(w => w.Actions.Contains('r')).Select(w => w.Group));
        var clearances = new Struct();
        foreach (var ward in c.WardGrants.Where(w => w.Clears.Count > 0))
        {
            clearances.Fields[ward.Group] = Strings(ward.Clears);
        }
        principal.Attr["clearances"] = Value.ForStruct(clearances);
        principal.Attr["careTeamPatients"] = Strings(c.CareTeamPatients);
        principal.Attr["organizationGrant"] = Value.ForBool(c.OrganizationGrant);
        principal.Attr["purpose"] = Value.ForString(c.Purpose);
        var client = new Struct();
        client.Fields["id"] = Value.ForString(c.Client);
        client.Fields["status"] = Value.ForString(c.ClientStatus);
        client.Fields["allPatients"] = Value.ForBool(c.ClientAllPatients);
        client.Fields["groups"] = Strings(c.ClientGroups);
        principal.Attr["client"] = Value.ForStruct(client);

        var resource = new Resource { Kind = "observation", Id = c.Check.ResourceId };
        resource.Attr["patient"] = Value.ForString(c.Patient);
        resource.Attr["patientOrganization"] = Value.ForString(c.PatientOrganization);
        resource.Attr["wards"] = Strings(c.PatientWards);
        resource.Attr["consents"] = Value.ForList([.. c.Consents.Select(Consent)]);
        resource.Attr["labels"] = Strings(c.Labels);
        resource.Attr["code"] = Value.ForString(c.Code);
        resource.Attr["recorded"] = Value.ForString(c.Recorded.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        return new CheckResourcesRequest
        {
            RequestId = $"mix-{c.Line}",
            Principal = principal,
            Resources = { new CheckResourcesRequest.Types.ResourceEntry { Actions = { Action }, Resource = resource } },
        };
    }

    public static bool Allowed(CheckResourcesResponse response) =>
        response.Results.Count == 1 && response.Results[0].Actions.TryGetValue(Action, out var effect) && effect == Effect.Allow;

    private static Value Consent(PeerConsent consent)
    {
        var s = new Struct();
        s.Fields["id"] = Value.ForString(consent.Id);
        s.Fields["kind"] = Value.ForString(consent.Kind);
        s.Fields["status"] = Value.ForString(consent.Status);
        s.Fields["organization"] = Value.ForString(consent.Organization ?? "");
        s.Fields["practitioner"] = Value.ForString(consent.Practitioner ?? "");
        return Value.ForStruct(s);
    }

    private static Value Strings(IEnumerable<string> values) => Value.ForList([.. values.Select(Value.ForString)]);
}
