using Microsoft.Extensions.Logging;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Alarms;
using PluginHost.Datasources.Kubernetes.Connection;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>The <c>kubernetes</c> datasource: the cluster and every node, every snapshot.</summary>
public sealed class KubernetesDatasourcePlugin : IDatasourcePlugin
{
    public string Name => "kubernetes";

    public IReadOnlyList<OptionDefinition> Options => KubernetesOptions.Declared;

    public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var mapping = new NodeMappingSettings(
            settings.Get(KubernetesOptions.IncludeAnnotationsOption),
            settings.Get(KubernetesOptions.InstanceIdFromSystemUuidOption));
        return new Dictionary<string, IEntityTransformer>
        {
            [KubernetesEntityTypes.Cluster] = new KubernetesClusterTransformer(mapping),
            [KubernetesEntityTypes.Node] = new KubernetesNodeTransformer(mapping, LoadAlarms(settings)),
        };
    }

    /// <summary>The alarm mapping: <c>alarms_file</c>, or the one the plugin ships.</summary>
    /// <exception cref="DatasourceConfigurationException">The file is missing or invalid (it names the file, line and entry).</exception>
    private static NodeAlarmMapping LoadAlarms(DatasourceSettings settings) =>
        NodeAlarmMappingParser.Load(settings.Get(KubernetesOptions.AlarmsFileOption) is { Length: > 0 } file ? file : NodeAlarmMapping.ShippedPath);

    public IDatasourceDriver CreateDriver(DatasourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = KubernetesOptions.From(context.Settings);
        LoadAlarms(context.Settings); // a bad mapping stops the start (exit 2), not just the alarms
        var connection = KubeconfigLoader.Connect(options, context.Time);
        foreach (var warning in connection.Warnings)
        {
            context.Logger.LogWarning("{Warning}", warning);
        }

        return new KubernetesDriver(context, options, connection);
    }
}
