using PluginHost.Graph;

namespace PluginHost.Cli;

/// <summary>Live vertices grouped by type, each with its count per state ("placeholder" for placeholders).</summary>
internal static class GraphSummary
{
    public static IEnumerable<(string Type, int Count, string States)> ByTypeAndState(IEnumerable<VertexView> liveVertices) =>
        liveVertices.GroupBy(v => v.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group => (
            group.Key,
            group.Count(),
            string.Join(", ", group.GroupBy(v => v.IsPlaceholder ? "placeholder" : v.State ?? "-")
                .OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Count()}"))));
}
