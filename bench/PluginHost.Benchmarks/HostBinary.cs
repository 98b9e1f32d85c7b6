namespace PluginHost.Benchmarks;

/// <summary>
/// Which host the process benchmarks start: the build output (<c>dotnet PluginHost.dll</c>, JIT
/// compiled, plugins from its plugins/ folder) or a published install folder given with
/// <c>--host DIR</c> (its apphost and its plugins/, ReadyToRun as the install ships it).
/// </summary>
internal sealed record HostBinary(string Program, IReadOnlyList<string> Prefix, string PluginFolder, string Description)
{
    public static HostBinary From(string? folder)
    {
        if (folder is null)
        {
            return new HostBinary("dotnet", [BenchmarkPaths.HostDll], BenchmarkPaths.PluginFolder, $"build output ({BenchmarkPaths.HostDll})");
        }

        var full = Path.GetFullPath(folder);
        var apphost = Path.Combine(full, "PluginHost");
        if (!File.Exists(apphost))
        {
            throw new ArgumentException($"{full} holds no PluginHost apphost: publish one with dotnet publish host/PluginHost -c Release -r linux-x64 -o {full}");
        }

        return new HostBinary(apphost, [], Path.Combine(full, "plugins"), $"install folder {full}");
    }

    /// <summary>Another build's output folder (<c>host/PluginHost/bin/Release/net10.0</c> of another clone, or a copy of one).</summary>
    public static HostBinary FromBuildOutput(string folder)
    {
        var full = Path.GetFullPath(folder);
        var dll = Path.Combine(full, "PluginHost.dll");
        if (!File.Exists(dll) || !Directory.Exists(Path.Combine(full, "plugins")))
        {
            throw new ArgumentException($"{full} holds no PluginHost.dll and plugins/: give a host build output folder (host/PluginHost/bin/Release/net10.0)");
        }

        return new HostBinary("dotnet", [dll], Path.Combine(full, "plugins"), $"build output {dll}");
    }

    public IEnumerable<string> Arguments(params string[] arguments) => Prefix.Concat(arguments);
}
