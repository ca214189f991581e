namespace PermissionLayer.Fhir.Tests.Consents;

/// <summary>Consent fixtures in the shapes of the official FHIR R4 examples, written for these tests.</summary>
internal static class ConsentFixture
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Consents", "Fixtures", name + ".json"));
}
