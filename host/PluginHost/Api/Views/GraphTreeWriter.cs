using System.Text.Json;
using PluginHost.Outputs;

namespace PluginHost.Api.Views;

/// <summary>
/// Writes a topology tree as Vitrage does (networkx's tree_data with ident <c>graph_index</c>):
/// each vertex's properties, its <c>graph_index</c>, and <c>children</c> — always on the root,
/// only when there are some below it. No tree is <c>{}</c>.
/// </summary>
internal static class GraphTreeWriter
{
    public static async Task WriteAsync(Utf8JsonWriter writer, GraphTree? tree, CancellationToken cancellationToken)
    {
        if (tree is null)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }

        await WriteNodeAsync(writer, tree, isRoot: true, cancellationToken).ConfigureAwait(false);
    }

    // Recursion is bounded by TopologyReader.MaxTreeDepth.
    private static async Task WriteNodeAsync(Utf8JsonWriter writer, GraphTree node, bool isRoot, CancellationToken cancellationToken)
    {
        writer.WriteStartObject();
        VertexJson.WriteProperties(writer, node.Vertex);
        writer.WriteNumber(NodeLinkGraphWriter.GraphIndex, node.GraphIndex);
        if (isRoot || node.Children.Count > 0)
        {
            writer.WriteStartArray("children");
            foreach (var child in node.Children)
            {
                await WriteNodeAsync(writer, child, isRoot: false, cancellationToken).ConfigureAwait(false);
                await NodeLinkGraphWriter.FlushIfFullAsync(writer, cancellationToken).ConfigureAwait(false);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
