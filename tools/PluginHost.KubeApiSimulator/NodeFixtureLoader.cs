using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace PluginHost.KubeApiSimulator;

/// <summary>Reads nodes from a YAML or JSON file: a NodeList, a YAML/JSON list of nodes, or one node.</summary>
public static class NodeFixtureLoader
{
    public static IReadOnlyList<JsonObject> Load(string path)
    {
        var text = File.ReadAllText(path);
        var root = text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[')
            ? JsonNode.Parse(text)
            : FromYaml(text);
        return root switch
        {
            JsonObject list when list["items"] is JsonArray items => items.OfType<JsonObject>().Select(n => (JsonObject)n.DeepClone()).ToList(),
            JsonArray nodes => nodes.OfType<JsonObject>().Select(n => (JsonObject)n.DeepClone()).ToList(),
            JsonObject node => [node],
            _ => throw new InvalidDataException($"{path}: expected a NodeList, a list of nodes or a node"),
        };
    }

    private static JsonNode? FromYaml(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    // Plain YAML scalars that look like numbers, booleans or null become those; quoted ones stay strings.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(value);
        }

        if (value is "null" or "~" or "")
        {
            return null;
        }

        if (value is "true" or "false")
        {
            return JsonValue.Create(value == "true");
        }

        return long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(value);
    }
}
