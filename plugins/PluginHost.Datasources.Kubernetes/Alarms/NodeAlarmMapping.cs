namespace PluginHost.Datasources.Kubernetes.Alarms;

/// <summary>
/// Which node conditions, taints and specs are alarms: read once, when the transformers are
/// created, from <c>[kubernetes] alarms_file</c> or the <c>node_alarms.yaml</c> the plugin ships.
/// </summary>
internal sealed record NodeAlarmMapping(string Path, IReadOnlyList<NodeAlarmRule> Rules)
{
    /// <summary>The vertex type of every node alarm.</summary>
    public const string AlarmType = "kubernetes.node.condition";

    /// <summary>The file the plugin ships, beside its assembly.</summary>
    public static string ShippedPath => System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(typeof(NodeAlarmMapping).Assembly.Location) ?? AppContext.BaseDirectory, "node_alarms.yaml");

    /// <summary>No alarms at all.</summary>
    public static NodeAlarmMapping None { get; } = new("(none)", []);
}
