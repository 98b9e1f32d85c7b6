namespace PluginHost.Tests.Support;

/// <summary>A folder deleted when the test ends.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("pluginhost-test-").FullName;
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Copies a built plugin into <c>&lt;folder&gt;/&lt;Name&gt;/</c>, as an operator would drop it in.</summary>
    public string DropPlugin(string pluginsFolder, string builtPluginFolder)
    {
        var target = System.IO.Path.Combine(pluginsFolder, System.IO.Path.GetFileName(builtPluginFolder));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(builtPluginFolder, "*", SearchOption.AllDirectories))
        {
            var destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(builtPluginFolder, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            System.IO.File.Copy(file, destination, overwrite: true);
        }

        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
