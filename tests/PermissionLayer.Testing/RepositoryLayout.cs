namespace PermissionLayer.Testing;

/// <summary>Finds the repository and the built artifacts of its projects, for tests that start real processes.</summary>
public static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built dll of a project under src/ or tests/, in the same configuration as the tests.</summary>
    public static string ProjectDll(string folder, string project, string? assemblyName = null)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Root, folder, project, "bin", configuration, "net10.0", (assemblyName ?? project) + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {project} first: {path} is missing", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PermissionLayer.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("PermissionLayer.sln not found above " + AppContext.BaseDirectory);
    }
}
