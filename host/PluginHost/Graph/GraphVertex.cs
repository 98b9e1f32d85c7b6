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

    /// <summary>From the key; an alarm's from its key and start, new for each activation (<see cref="VitrageIdGenerator"/>).</summary>
    public string VitrageId { get; set; }

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

    /// <summary>From the datasource values: a resource's <c>vitrage_operational_state</c>, an alarm's <c>vitrage_operational_severity</c>.</summary>
    public string? OperationalValue { get; set; }

    /// <summary>A resource's <c>vitrage_aggregated_state</c>, an alarm's <c>vitrage_aggregated_severity</c>.</summary>
    public string? AggregatedValue { get; set; }

    /// <summary>An alarm's start and the resource it is on; <c>null</c> for a resource.</summary>
    public AlarmDetails? Alarm { get; set; }

    /// <summary>For a vertex another one derived (<c>EntityUpdate.Derived</c>): the key of that owner.</summary>
    public string? DerivedOwnerKey { get; set; }

    /// <summary>The keys of the live vertices this one derived; <c>null</c> when none.</summary>
    public HashSet<string>? DerivedKeys { get; set; }

    /// <summary>
    /// This vertex as the last published version holds it: what the next publication compares
    /// against to update the version's <see cref="ResourceIndex"/> without looking it up.
    /// </summary>
    public VertexView? Published { get; set; }

    /// <summary>Edges, keyed by (source, target, label), on both ends.</summary>
    public VertexEdges Edges { get; } = new();
}
