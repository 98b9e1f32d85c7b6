namespace PluginHost.Tests.Support;

/// <summary>A plugins folder holding only the Echo test plugin (shared by a test class).</summary>
public sealed class EchoPluginFolder : IDisposable
{
    private readonly TempFolder _folder = new();

    public EchoPluginFolder()
    {
        Plugins = _folder.Combine("plugins");
        _folder.DropPlugin(Plugins, TestRepository.TestPluginOutput("PluginHost.TestPlugins.Echo"));
    }

    public string Plugins { get; }

    public void Dispose() => _folder.Dispose();
}
