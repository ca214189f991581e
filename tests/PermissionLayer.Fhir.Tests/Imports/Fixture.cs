namespace PermissionLayer.Fhir.Tests.Imports;

/// <summary>The JSON/NDJSON fixtures copied next to the test assembly.</summary>
internal static class Fixture
{
    public static string Text(string name) => File.ReadAllText(PathOf(name));

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Imports", "Fixtures", name);
}
