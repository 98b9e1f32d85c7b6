namespace PluginHost.Benchmarks;

/// <summary>Where the repository's built host and plugins are (the benchmark loads the real plugin folder).</summary>
internal static class BenchmarkPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string HostFolder(string configuration) =>
        Path.Combine(RepositoryRoot, "host", "PluginHost", "bin", configuration, "net10.0");

    public static string PluginFolder { get; } = new[] { "Release", "Debug" }
        .Select(c => Path.Combine(HostFolder(c), "plugins"))
        .FirstOrDefault(p => Directory.Exists(Path.Combine(p, "PluginHost.Datasources.Kubernetes")))
        ?? throw new InvalidOperationException("build the host first: dotnet build -c Release host/PluginHost");

    public static string HostDll => Path.Combine(Path.GetDirectoryName(PluginFolder)!, "PluginHost.dll");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PluginHost.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmarks from inside the repository");
    }
}
