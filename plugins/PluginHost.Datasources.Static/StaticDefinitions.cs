namespace PluginHost.Datasources.Static;

/// <summary>One entity of a static file, as written.</summary>
/// <param name="StaticId">File-local id that relationships use.</param>
/// <param name="Properties">Every other key (name, state, extra properties), YAML scalars as strings, numbers, booleans.</param>
internal sealed record StaticEntity(
    string StaticId,
    string Type,
    string Id,
    string Category,
    IReadOnlyDictionary<string, object?> Properties);

/// <summary>A relationship between two entities of the same file.</summary>
internal sealed record StaticRelationship(string Source, string Target, string RelationshipType);

/// <summary>The valid content of one file.</summary>
internal sealed record StaticFile(string Path, string? Name, IReadOnlyList<StaticEntity> Entities, IReadOnlyList<StaticRelationship> Relationships);
