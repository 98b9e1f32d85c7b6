namespace PluginHost.Datasources.Static;

/// <summary>The keys of a static event (one entity with the relationships it carries).</summary>
internal static class StaticEventKeys
{
    public const string StaticId = "static_id";
    public const string Type = "type";
    public const string Id = "id";
    public const string Category = "category";
    public const string File = "static_file";
    public const string Deleted = "deleted";
    public const string Properties = "properties";
    public const string Relationships = "relationships";
    public const string RelationshipType = "relationship_type";
}
