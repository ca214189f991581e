using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// FHIR consent actions (<c>http://terminology.hl7.org/CodeSystem/consentaction</c>) a request
/// performs. Reading or searching is access to, use of and disclosure to the requester, so a provision
/// naming any of the three applies; creating is collection; changing or deleting is correction.
/// </summary>
public static class ConsentActions
{
    public const string System = "http://terminology.hl7.org/CodeSystem/consentaction";

    public static readonly IReadOnlySet<string> Known =
        new HashSet<string>(StringComparer.Ordinal) { "collect", "access", "use", "disclose", "correct" };

    public static IReadOnlySet<string> Of(Interaction interaction) => interaction switch
    {
        Interaction.Create => new HashSet<string>(StringComparer.Ordinal) { "collect" },
        Interaction.Update or Interaction.Patch or Interaction.Delete => new HashSet<string>(StringComparer.Ordinal) { "correct" },
        // Operations may read anything: treated as reads so a deny of access cannot be side-stepped.
        _ => new HashSet<string>(StringComparer.Ordinal) { "access", "use", "disclose" },
    };
}
