using Microsoft.Extensions.Logging;
using PluginHost.Contracts;
using PluginHost.Datasources.Kubernetes.Alarms;
using PluginHost.Datasources.Kubernetes.Connection;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The <c>kubernetes</c> datasource: the cluster and every node, every snapshot; with
/// <c>contexts</c>, one datasource <c>kubernetes/&lt;context&gt;</c> per cluster.
/// </summary>
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
            [KubernetesEntityTypes.Node] = new KubernetesNodeTransformer(mapping, TransformerAlarms(settings)),
        };
    }

    /// <summary>
    /// The operator's <c>alarms_file</c> is input: it is read now, so a broken file stops the start or
    /// keeps a reload's running transformers, as before. The file the plugin ships is parsed once per
    /// process (<see cref="ShippedAlarmMapping"/>), on the first driver made or the node transformer's
    /// first event: <c>plugins</c> lists the entity types without loading a YAML parser (bench/README.md,
    /// start-up), an enabled datasource's driver parses it at start (<see cref="CreateDriver"/>), so a
    /// broken install still fails there, and a reload reuses that parse.
    /// </summary>
    private static Lazy<NodeAlarmMapping> TransformerAlarms(DatasourceSettings settings) =>
        settings.Get(KubernetesOptions.AlarmsFileOption) is { Length: > 0 } file
            ? new Lazy<NodeAlarmMapping>(NodeAlarmMappingParser.Load(file))
            : new Lazy<NodeAlarmMapping>(ShippedAlarmMapping.Get, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The contexts of <c>contexts</c> (each a datasource of its own), or none for one datasource.</summary>
    public IReadOnlyList<string> ListInstances(DatasourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ContextSelection.Select(KubernetesOptions.From(settings)).Contexts;
    }

    /// <summary>The alarm mapping: <c>alarms_file</c>, or the one the plugin ships.</summary>
    /// <exception cref="DatasourceConfigurationException">The file is missing or invalid (it names the file, line and entry).</exception>
    private static NodeAlarmMapping LoadAlarms(DatasourceSettings settings) =>
        settings.Get(KubernetesOptions.AlarmsFileOption) is { Length: > 0 } file ? NodeAlarmMappingParser.Load(file) : ShippedAlarmMapping.Get();

    public IDatasourceDriver CreateDriver(DatasourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = KubernetesOptions.From(context.Settings);
        LoadAlarms(context.Settings); // a bad mapping stops the start (exit 2), not just the alarms
        if (context.Instance is { } instance)
        {
            // One of contexts: the instance is the context this driver reads.
            WarnAboutSkippedContexts(options, instance, context.Logger);
            options = options with { Context = instance, Contexts = [] };
        }

        var connection = KubeconfigLoader.Connect(options, context.Time);
        foreach (var warning in connection.Warnings)
        {
            context.Logger.LogWarning("{Warning}", warning);
        }

        return new KubernetesDriver(context, options, connection);
    }

    // contexts = * reads each cluster once: say which contexts this driver stands for.
    private static void WarnAboutSkippedContexts(KubernetesOptions options, string instance, ILogger logger)
    {
        foreach (var skipped in ContextSelection.Select(options).Skipped.Where(s => s.ReadAs == instance))
        {
            logger.LogWarning(
                "Context '{Skipped}' reads the same cluster as context '{Context}' and is left out ([kubernetes] contexts = * reads each cluster once)",
                skipped.Context, instance);
        }
    }
}
