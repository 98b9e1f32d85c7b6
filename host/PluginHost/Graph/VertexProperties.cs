namespace PluginHost.Graph;

/// <summary>Vitrage's vertex and edge property names.</summary>
internal static class VertexProperties
{
    public const string VitrageId = "vitrage_id";
    public const string Category = "vitrage_category";
    public const string Type = "vitrage_type";
    public const string Id = "id";
    public const string Name = "name";
    public const string State = "state";
    public const string IsDeleted = "vitrage_is_deleted";
    public const string IsPlaceholder = "vitrage_is_placeholder";
    public const string SampleTimestamp = "vitrage_sample_timestamp";
    public const string UpdateTimestamp = "update_timestamp";
    public const string DatasourceName = "vitrage_datasource_name";
    public const string RelationshipType = "relationship_type";

    /// <summary>Whether <paramref name="name"/> is one of the vertex's own fields (above, but the edges'), which no datasource property overrides.</summary>
    public static bool IsVertexField(string name) => name switch
    {
        VitrageId or Category or Type or Id or Name or State or IsDeleted or IsPlaceholder or SampleTimestamp or UpdateTimestamp or DatasourceName => true,
        _ => false,
    };
}
