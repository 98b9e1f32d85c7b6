namespace PluginHost.Graph;

/// <summary>A vertex as the graph keeps it: the transformer's data plus Vitrage's bookkeeping.</summary>
internal sealed class GraphVertex
{
    public GraphVertex(string key, string vitrageId, string category, string type, string id)
    {
        Key = key;
        VitrageId = vitrageId;
        Category = category;
        Type = type;
        Id = id;
    }

    public string Key { get; }

    public string VitrageId { get; }

    public string Category { get; }

    public string Type { get; }

    public string Id { get; }

    public string? Name { get; set; }

    public string? State { get; set; }

    public IReadOnlyDictionary<string, object?> Properties { get; set; } = new Dictionary<string, object?>();

    /// <summary>The datasource's version of the properties held (<c>DatasourceEvent.EntityVersion</c> of the event that set them).</summary>
    public string? Version { get; set; }

    public bool IsDeleted { get; set; }

    public bool IsPlaceholder { get; set; }

    /// <summary>The sample time of the event that last set this vertex's properties.</summary>
    public DateTimeOffset SampleTimestamp { get; set; }

    /// <summary>When the graph last changed this vertex (host clock).</summary>
    public DateTimeOffset UpdateTimestamp { get; set; }

    /// <summary>The datasource that reported this vertex; <c>null</c> for a placeholder nobody reported.</summary>
    public string? DatasourceName { get; set; }

    /// <summary>Edges, keyed by (source, target, label), on both ends.</summary>
    public Dictionary<GraphEdgeKey, GraphEdge> Edges { get; } = [];
}
