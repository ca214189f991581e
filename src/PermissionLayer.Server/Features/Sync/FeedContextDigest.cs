using System.Security.Cryptography;
using Google.Protobuf;
using PermissionLayer.Contracts.V1;

namespace PermissionLayer.Server.Features.Sync;

/// <summary>
/// Binds a feed's revisions to the request they were computed for. A revision alone says "the set at
/// R" but not whose set: a device that resumes with another token context (another user on a shared
/// tablet, another fhirContext group after a new launch, another organization, other scopes or
/// purpose), resource type or interaction would keep the old request's patients as if they were its
/// own. Every message of a feed carries this digest; a resume whose digest is missing or is not the
/// digest of the resuming request gets a fresh snapshot, never a diff.
/// <para>
/// It is a plain SHA-256 of the request's whole token (deterministic protobuf encoding, so a field
/// added to TokenContext later is covered without a change here) minus the jti, which identifies the
/// token and not its reach (a re-issued token with the same claims resumes as a diff), plus the
/// interaction and resource type as the feed reads them. It needs no key: it guards against resuming
/// the wrong set, not against a caller who lies (a PEP that forges it could as well keep any data).
/// Repeated claims in another order give another digest: one needless snapshot, never a wrong diff.
/// </para>
/// </summary>
public static class FeedContextDigest
{
    private const string Version = "fc1";

    public static string Of(TokenContext token, Core.Requests.Interaction interaction, string resourceType)
    {
        var reach = token.Clone();
        reach.Jti = "";
        using var output = new MemoryStream();
        var coded = new CodedOutputStream(output, leaveOpen: true);
        coded.WriteString(Version);
        coded.WriteString(interaction.ToString());
        coded.WriteString(resourceType);
        coded.WriteMessage(reach);
        coded.Flush();
        return $"{Version}:{Convert.ToBase64String(SHA256.HashData(output.ToArray())).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
    }

    /// <summary>Whether a resume's digest is this request's (constant time is not needed: it is no secret).</summary>
    public static bool Matches(string? sent, string expected) => !string.IsNullOrEmpty(sent) && string.Equals(sent, expected, StringComparison.Ordinal);
}
