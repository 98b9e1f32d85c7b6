namespace PluginHost.Datasources.Kubernetes.Alarms;

/// <summary>
/// The <c>node_alarms.yaml</c> the plugin ships, parsed once per process and only when something
/// needs it: the first driver made (which stops a broken install at start) or a node transformer's
/// first event. Only a successful parse is kept, so a read that failed is tried again rather than
/// remembered; once parsed, a reload's new transformers reuse it instead of reading the install's
/// file again (the file is part of the install, not configuration: it changes with an upgrade,
/// which restarts the host).
/// </summary>
internal static class ShippedAlarmMapping
{
    private static NodeAlarmMapping? _parsed;

    /// <exception cref="PluginHost.Contracts.DatasourceConfigurationException">The file is missing or invalid (it names the file, line and entry).</exception>
    public static NodeAlarmMapping Get()
    {
        if (Volatile.Read(ref _parsed) is { } parsed)
        {
            return parsed;
        }

        Interlocked.CompareExchange(ref _parsed, NodeAlarmMappingParser.Load(NodeAlarmMapping.ShippedPath), null);
        return _parsed!;
    }
}
