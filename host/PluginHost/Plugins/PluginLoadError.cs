namespace PluginHost.Plugins;

/// <summary>A plugin folder that could not be used, and why.</summary>
internal sealed record PluginLoadError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
