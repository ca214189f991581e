using PermissionLayer.Core.Sync;

namespace PermissionLayer.Core.Tests.Sync;

/// <summary>An event's because names the requester's own dependencies, and a consent only on its own patient's event.</summary>
public sealed class EventCausesTests
{
    private static SyncEntity Entity(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return new SyncEntity(spec[..colon], spec[(colon + 1)..]);
    }

    private static string[] List(string csv) => csv.Length == 0 ? [] : csv.Split(';');

    [Theory]
    // patient | changed entities | boundaries | because
    [InlineData("p1", "group:ward", "", "Group/ward")]
    [InlineData("p1", "consent:p1", "", "Consent of Patient/p1")]
    [InlineData("p1", "consent:p1;consent:p2", "", "Consent of Patient/p1")]
    // Only another patient's consent changed in the recompute: it is not named (it once was, as a fallback).
    [InlineData("p1", "consent:p2", "", "recomputed")]
    [InlineData("p1", "consent:p2;consent:p3", "", "recomputed")]
    [InlineData("p1", "consent:p2", "period boundary 2026-01-01T00:00:00.0000000+00:00", "period boundary 2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("p1", "principal:Practitioner/a;consent:p2;careteam:t", "", "Practitioner/a;CareTeam/t")]
    [InlineData("p1", "client:app", "", "Client/app")]
    [InlineData("p1", "", "", "recomputed")]
    public void Because_never_names_another_patients_consent(string patient, string changed, string boundaries, string expected)
    {
        var because = EventCauses.For(patient, List(changed).Select(Entity), List(boundaries));
        Assert.Equal(List(expected), because);
        Assert.DoesNotContain(because, b => b.StartsWith("Consent of", StringComparison.Ordinal) && !b.EndsWith($"Patient/{patient}", StringComparison.Ordinal));
    }
}
