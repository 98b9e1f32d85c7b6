namespace PluginHost.Datasources.Kubernetes;

/// <summary>The settings that shape a node's vertex, given to the transformers when they are created.</summary>
/// <param name="IncludeAnnotations"><c>[kubernetes] include_annotations</c>.</param>
/// <param name="InstanceIdFromSystemUuid"><c>[kubernetes] instance_id_from_system_uuid</c>.</param>
internal sealed record NodeMappingSettings(bool IncludeAnnotations, bool InstanceIdFromSystemUuid);
