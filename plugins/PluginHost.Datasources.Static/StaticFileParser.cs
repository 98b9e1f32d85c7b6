using System.Globalization;
using PluginHost.Contracts;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PluginHost.Datasources.Static;

/// <summary>
/// Reads one file of Vitrage's static datasource format and validates it: <c>definitions</c>
/// present, every entity with <c>static_id</c>, <c>type</c> and <c>id</c>, <c>static_id</c>s unique
/// in the file, relationships between known <c>static_id</c>s with one of Vitrage's labels.
/// </summary>
internal static class StaticFileParser
{
    private static readonly HashSet<string> EntityKeys = new(StringComparer.Ordinal) { "static_id", "type", "id", "category" };

    // Nesting past this is no inventory (and YamlDotNet's loader, and the JSON the properties become,
    // recurse per level: 30,000 levels overflowed the stack and killed the host).
    private const int MaxDepth = 40;

    // Events (nodes) per file: bounds what a file may make the loader build.
    private const int MaxNodes = 2_000_000;

    public static StaticFile Parse(string path, string text)
    {
        try
        {
            return ParseChecked(path, text);
        }
        catch (StaticFileException e)
        {
            // A property value's own error names only its line.
            throw e.Message.StartsWith(path, StringComparison.Ordinal) ? e : new StaticFileException($"{path}: {e.Message}");
        }
#pragma warning disable CA1031 // a file is untrusted input: whatever else fails in it is that file's error, never the folder's
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            throw new StaticFileException($"{path}: cannot be used: {e.Message}");
        }
    }

    private static StaticFile ParseChecked(string path, string text)
    {
        CheckShape(path, text);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode map
                ? map
                : throw new StaticFileException($"{path}: expected a mapping with 'metadata' and 'definitions'");
        }
        catch (YamlException e)
        {
            throw new StaticFileException($"{path}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            throw new StaticFileException($"{path}: invalid YAML: an unterminated or malformed value");
        }

        var definitions = Child(root, "definitions") as YamlMappingNode
            ?? throw new StaticFileException($"{path}: 'definitions' is missing (a static file has 'metadata' and 'definitions')");
        var name = Scalar(Child(Child(root, "metadata"), "name"));
        var entities = ParseEntities(path, definitions);
        var relationships = ParseRelationships(path, definitions, entities);
        return new StaticFile(path, name, entities, relationships);
    }

    private static List<StaticEntity> ParseEntities(string path, YamlMappingNode definitions)
    {
        var entities = new List<StaticEntity>();
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = Child(definitions, "entities");
        if (list is null)
        {
            return entities;
        }

        if (list is not YamlSequenceNode sequence)
        {
            throw new StaticFileException($"{path}: definitions.entities must be a list (line {list.Start.Line})");
        }

        for (var index = 0; index < sequence.Children.Count; index++)
        {
            var where = $"{path}: definitions.entities[{index}] (line {sequence.Children[index].Start.Line})";
            if (sequence.Children[index] is not YamlMappingNode entity)
            {
                throw new StaticFileException($"{where}: an entity must be a mapping");
            }

            string Required(string field) => Scalar(Child(entity, field)) is { Length: > 0 } value
                ? value
                : throw new StaticFileException($"{where}: '{field}' is missing");

            var staticId = Required("static_id");
            var type = Required("type");
            var id = Required("id");

            // A vertex key is category:type:id, so a ':' in the type made two entities one key (type
            // 'switch', id 'a:b' and type 'switch:a', id 'b'): the second was silently lost. No
            // Vitrage type holds one; an id may (the type before it is then unambiguous).
            if (type.Contains(':', StringComparison.Ordinal))
            {
                throw new StaticFileException($"{where}: type '{type}' contains ':', which would make its vertex key (category:type:id) ambiguous");
            }

            if (firstIndex.TryGetValue(staticId, out var first))
            {
                throw new StaticFileException($"{where}: static_id '{staticId}' is already used by definitions.entities[{first}]");
            }

            firstIndex[staticId] = index;
            var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, value) in entity.Children)
            {
                var keyText = Scalar(key) ?? string.Empty;
                if (!EntityKeys.Contains(keyText))
                {
                    properties[keyText] = ToValue(value);
                }
            }

            // Vitrage's static datasource makes resources only. An alarm needs a datasource that
            // watches a condition and ends it; one written in a file would be active for ever, in the
            // alarm list and history, and any other word makes a vertex no reader knows.
            var category = Scalar(Child(entity, "category")) ?? EntityCategories.Resource;
            if (category != EntityCategories.Resource)
            {
                throw new StaticFileException($"{where}: category '{category}' is not allowed: a static file describes resources ({EntityCategories.Resource}, the default)");
            }

            entities.Add(new StaticEntity(staticId, type, id, category, properties));
        }

        return entities;
    }

    private static List<StaticRelationship> ParseRelationships(string path, YamlMappingNode definitions, List<StaticEntity> entities)
    {
        var relationships = new List<StaticRelationship>();
        var list = Child(definitions, "relationships");
        if (list is null)
        {
            return relationships;
        }

        if (list is not YamlSequenceNode sequence)
        {
            throw new StaticFileException($"{path}: definitions.relationships must be a list (line {list.Start.Line})");
        }

        var known = entities.Select(e => e.StaticId).ToHashSet(StringComparer.Ordinal);
        for (var index = 0; index < sequence.Children.Count; index++)
        {
            var where = $"{path}: definitions.relationships[{index}] (line {sequence.Children[index].Start.Line})";
            if (sequence.Children[index] is not YamlMappingNode relationship)
            {
                throw new StaticFileException($"{where}: a relationship must be a mapping");
            }

            string Endpoint(string field)
            {
                var value = Scalar(Child(relationship, field));
                return value is null ? throw new StaticFileException($"{where}: '{field}' is missing")
                    : known.Contains(value) ? value
                    : throw new StaticFileException($"{where}: {field} '{value}' is not a static_id of this file");
            }

            var source = Endpoint("source");
            var target = Endpoint("target");
            var label = Scalar(Child(relationship, "relationship_type"))
                ?? throw new StaticFileException($"{where}: 'relationship_type' is missing");
            if (!EdgeLabels.All.Contains(label))
            {
                throw new StaticFileException(
                    $"{where}: relationship_type '{label}' is not one of Vitrage's labels ({string.Join(", ", EdgeLabels.All)})");
            }

            relationships.Add(new StaticRelationship(source, target, label));
        }

        return relationships;
    }

    // One pass over the parser's events before anything is built: no aliases (a recursive one made
    // ToValue recurse for ever; nine nested ones, the "billion laughs", 6 GB), bounded depth and size.
    private static void CheckShape(string path, string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var nodes = 0;
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        throw new StaticFileException($"{path}: line {alias.Start.Line}: YAML aliases (*{alias.Value}) are not supported in static files; write the value out");
                    case MappingStart or SequenceStart:
                        if (++depth > MaxDepth)
                        {
                            throw new StaticFileException($"{path}: line {parser.Current.Start.Line}: nested deeper than {MaxDepth} levels");
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }

                if (++nodes > MaxNodes)
                {
                    throw new StaticFileException($"{path}: more than {MaxNodes:N0} YAML nodes");
                }
            }
        }
        catch (YamlException)
        {
            // The loader below reports it with its line and column.
        }
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlNode? node) => node is YamlScalarNode { Value: { } value } ? value : null;

    // Plain scalars that look like numbers or booleans become those; quoted ones stay strings.
    private static object? ToValue(YamlNode node) => node switch
    {
        YamlScalarNode { Style: ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted } quoted => quoted.Value,
        YamlScalarNode { Value: null or "~" or "null" } => null,
        YamlScalarNode { Value: "true" or "True" } => true,
        YamlScalarNode { Value: "false" or "False" } => false,
        YamlScalarNode scalar when long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => integer,
        YamlScalarNode scalar when double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        YamlScalarNode scalar => scalar.Value,
        YamlSequenceNode sequence => sequence.Children.Select(ToValue).ToList(),
        YamlMappingNode map => Mapping(map),
        _ => null,
    };

    private static Dictionary<string, object?> Mapping(YamlMappingNode map)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            var name = Scalar(key) ?? throw new StaticFileException($"line {key.Start.Line}: a mapping key must be a plain value, not a list or a mapping");
            if (!values.TryAdd(name, ToValue(value)))
            {
                throw new StaticFileException($"line {key.Start.Line}: the key '{name}' is repeated");
            }
        }

        return values;
    }
}
