namespace PluginHost.Datasources.Static;

/// <summary>A static file that cannot be used; the message names the file, the entry and the field.</summary>
internal sealed class StaticFileException(string message) : Exception(message);
