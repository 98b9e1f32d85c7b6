using System.Reflection;

namespace PluginHost.Tests.Support;

/// <summary>Where the repository, the built host and the built test plugins are.</summary>
internal static class TestRepository
{
    private static string Metadata(string key) =>
        typeof(TestRepository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("BuildConfiguration");

    public static string HostFolder { get; } = Path.Combine(Root, "host", "PluginHost", "bin", Configuration, "net10.0");

    public static string HostDll { get; } = Path.Combine(HostFolder, "PluginHost.dll");

    /// <summary>The real plugins folder beside the built host.</summary>
    public static string HostPluginFolder { get; } = Path.Combine(HostFolder, "plugins");

    public static string TestPluginOutput(string name) =>
        Path.Combine(Root, "tests", "TestPlugins", "bin", Configuration, "plugins", name);
}
