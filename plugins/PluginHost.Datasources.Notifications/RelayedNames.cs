namespace PluginHost.Datasources.Notifications;

/// <summary>
/// The relayed datasource names (<c>&lt;publisher&gt;/&lt;datasource&gt;</c>) one notifications
/// datasource has taken, kept by the plugin for the host's life rather than by a driver: a reload
/// that creates the driver again (SIGHUP after its settings changed) must not start counting at
/// zero. Each name taken holds state in the graph (its entities, its snapshot accounting) and a
/// Prometheus series per action until the host stops, and a fresh count let every reload take
/// <c>max_datasources</c> more of them. A new driver may overlap the old one for as long as the old
/// one takes to stop, hence the lock.
/// </summary>
internal sealed class RelayedNames
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is taken: taken before, or now while fewer than <paramref name="max"/> are.</summary>
    public bool TryTake(string name, int max)
    {
        lock (_names)
        {
            return _names.Contains(name) || (_names.Count < max && _names.Add(name));
        }
    }
}
