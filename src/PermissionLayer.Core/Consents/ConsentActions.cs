using PermissionLayer.Core.Requests;

namespace PermissionLayer.Core.Consents;

/// <summary>
/// FHIR consent actions (<c>http://terminology.hl7.org/CodeSystem/consentaction</c>) a request
/// performs. Reading or searching is access to, use of and disclosure to the requester — three names
/// for one need, so a provision naming any of them applies; creating is collection; changing or
/// deleting is correction. A PATCH is also a read: its answer is the whole patched resource,
/// including what the patch did not touch, so it needs both correction and access.
/// </summary>
public static class ConsentActions
{
    public const string System = "http://terminology.hl7.org/CodeSystem/consentaction";

    /// <summary>The names of a read: a provision naming one of them is about reading.</summary>
    private static readonly IReadOnlySet<string> Reading =
        new HashSet<string>(StringComparer.Ordinal) { "access", "use", "disclose" };

    public static readonly IReadOnlySet<string> Known =
        new HashSet<string>(StringComparer.Ordinal) { "collect", "access", "use", "disclose", "correct" };

    public static IReadOnlySet<string> Of(Interaction interaction) => interaction switch
    {
        Interaction.Create => new HashSet<string>(StringComparer.Ordinal) { "collect" },
        Interaction.Patch => new HashSet<string>(Reading, StringComparer.Ordinal) { "correct" },
        Interaction.Update or Interaction.Delete => new HashSet<string>(StringComparer.Ordinal) { "correct" },
        // Operations may read anything: treated as reads so a deny of access cannot be side-stepped.
        _ => new HashSet<string>(Reading, StringComparer.Ordinal),
    };

    /// <summary>
    /// What a request's actions need, each need a set of alternative names: the read names together
    /// are one need, every other action its own. A provision is about the request when it names every
    /// need; about part of it when it names some (a deny then counts, a permit does not).
    /// </summary>
    public static IReadOnlyList<IReadOnlySet<string>> Needs(IReadOnlySet<string> actions)
    {
        var needs = actions.Where(a => !Reading.Contains(a))
            .Select(a => (IReadOnlySet<string>)new HashSet<string>(StringComparer.Ordinal) { a }).ToList();
        if (actions.Any(Reading.Contains))
        {
            needs.Add(new HashSet<string>(actions.Where(Reading.Contains), StringComparer.Ordinal));
        }
        return needs;
    }
}
