using System.Reflection;
using System.Runtime.Loader;

namespace PluginHost.Plugins;

/// <summary>
/// One plugin's own load context. The plugin's dependencies come from its folder, as its
/// <c>.deps.json</c> lists them (read by the runtime's own <see cref="AssemblyDependencyResolver"/>,
/// the host's native deps.json reader), then any other DLL in its folder; the shared assemblies —
/// the contracts, the logging abstractions and everything they reference — always come from the
/// host's context, so <c>IDatasourcePlugin</c> and <c>ILogger</c> are the host's own types. A
/// dependency whose file is identical to one the host ships comes from the host's context too. What
/// neither provides falls back to the host's context (the shared framework).
/// </summary>
/// <remarks>
/// This replaces McMaster.NETCore.Plugins, whose loader cost most of a cold start: per plugin it
/// re-read the host's and the plugin's runtimeconfig.json with a reflection-based JSON serializer,
/// threw and caught a FileNotFoundException for a missing runtimeconfig.dev.json, read
/// /proc/self/maps for the process's main module and loaded the shared assemblies' reference
/// closure again. The rules are the same; the work is done once per process.
/// </remarks>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _folder;
    private readonly Lazy<IReadOnlySet<string>> _shared;

    /// <param name="mainAssemblyPath">The plugin's DLL; its deps.json is beside it.</param>
    /// <param name="sharedAssemblies">Computed on first need only: walking the closure loads some
    /// thirty framework assemblies, a cost only a plugin shipping a DLL of its own has a use for.</param>
    public PluginLoadContext(string mainAssemblyPath, Lazy<IReadOnlySet<string>> sharedAssemblies)
        : base(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _folder = Path.GetDirectoryName(mainAssemblyPath)!;
        _shared = sharedAssemblies;
    }

    /// <summary>
    /// The names of <paramref name="sharedTypes"/>' assemblies and, transitively, of every assembly
    /// they reference: a plugin that ships its own copy of one of them still gets the host's, so
    /// the types on both sides of the contract are one.
    /// </summary>
    public static IReadOnlySet<string> SharedClosure(IEnumerable<Type> sharedTypes)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>(sharedTypes.Select(t => t.Assembly));
        while (pending.TryPop(out var assembly))
        {
            if (assembly.GetName().Name is not { } name || !names.Add(name))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is { } referenced && !names.Contains(referenced) && TryLoadDefault(reference) is { } loaded)
                {
                    pending.Push(loaded);
                }
            }
        }

        return names;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is not { } name)
        {
            return null; // the host's context
        }

        // The plugin's deps.json, else a DLL beside the plugin that it does not list (a hand-copied
        // dependency); neither: the host's context. A file identical to one the host ships (the same
        // package version, as the Kubernetes plugin's YamlDotNet is) is the host's: the same code,
        // loaded and initialised once. Only a copy of its own is weighed against the shared
        // assemblies, so their closure is walked only when a plugin ships a different one.
        var path = _resolver.ResolveAssemblyToPath(assemblyName) ?? Path.Combine(_folder, name + ".dll");
        return File.Exists(path) && !HostAssemblies.HasIdentical(name, path) && !_shared.Value.Contains(name) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    private static Assembly? TryLoadDefault(AssemblyName name)
    {
        try
        {
            return Default.LoadFromAssemblyName(name);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null; // a reference the host cannot load is not one a plugin could share with it
        }
    }
}
