namespace PluginHost.TestPlugins.NotAPlugin;

/// <summary>A public type that is not a plugin.</summary>
public sealed class Nothing
{
}
