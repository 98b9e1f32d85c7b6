using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// Lookups in a parsed node, as the transformer made them before it read nodes in one pass: the
/// reference the one-pass readers (NodeHeader, NodeFieldsReader) are checked against. A member of
/// a value that is no object, or absent, is the undefined element; a text of another kind is null.
/// </summary>
internal static class ParsedNodeLookups
{
    public static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    public static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
