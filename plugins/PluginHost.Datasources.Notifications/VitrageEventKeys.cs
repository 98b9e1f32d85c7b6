namespace PluginHost.Datasources.Notifications;

/// <summary>The keys PluginHost (like Vitrage's drivers) adds to an event's payload on the wire.</summary>
internal static class VitrageEventKeys
{
    public const string EntityType = "vitrage_entity_type";
    public const string DatasourceAction = "vitrage_datasource_action";
    public const string SampleDate = "vitrage_sample_date";
    public const string DatasourceName = "vitrage_datasource_name";
}
