namespace PluginHost.States;

/// <summary>A datasource values file that cannot be used; the message names the file, the line and the entry.</summary>
internal sealed class ValuesFileException(string message) : Exception(message);
