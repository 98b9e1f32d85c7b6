namespace PluginHost.KubeApiSimulator;

/// <summary>A node as the simulator serves it: its JSON bytes plus what selectors need.</summary>
internal sealed record StoredNode(string Name, long ResourceVersion, IReadOnlyDictionary<string, string> Labels, byte[] Json);

/// <summary>One change, as a watch stream reports it.</summary>
internal sealed record WatchEvent(long ResourceVersion, string Type, byte[] ObjectJson)
{
    /// <summary>The marker after a WatchList's initial events; the stream sends it as the end bookmark.</summary>
    public const string InitialEventsEnd = "INITIAL-EVENTS-END";
}
