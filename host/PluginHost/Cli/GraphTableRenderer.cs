using System.Globalization;
using PluginHost.Graph;

namespace PluginHost.Cli;

/// <summary>The graph as a readable table: a summary, then one row per live vertex.</summary>
internal static class GraphTableRenderer
{
    public static void Write(TextWriter output, GraphVersion graph)
    {
        var vertices = graph.LiveVertices.OrderBy(v => v.Type, StringComparer.Ordinal)
            .ThenBy(v => v.Name ?? v.Id, StringComparer.Ordinal).ToList();
        var edges = graph.LiveEdges.ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{vertices.Count} vertices ({vertices.Count(v => v.IsPlaceholder)} placeholders), {edges.Count} edges"));
        foreach (var (type, count, states) in GraphSummary.ByTypeAndState(vertices))
        {
            output.WriteLine(Logging.LogText.Escape(string.Create(CultureInfo.InvariantCulture, $"  {type}: {count} ({states})")));
        }

        output.WriteLine();
        var rows = vertices.Select(v => new[]
        {
            v.Type,
            v.Name ?? string.Empty,
            v.IsPlaceholder ? "placeholder" : v.State ?? string.Empty,
            v.Id,
            string.Join(", ", v.Edges.Where(e => !e.IsDeleted)
                .Select(e => e.SourceKey == v.Key
                    ? $"{e.RelationshipType} -> {Describe(graph, e.TargetKey)}"
                    : $"{e.RelationshipType} <- {Describe(graph, e.SourceKey)}")
                .Order(StringComparer.Ordinal)
                .Take(4)) + (v.Edges.Count(e => !e.IsDeleted) > 4 ? ", ..." : string.Empty),
        }).ToList();
        WriteColumns(output, ["TYPE", "NAME", "STATE", "ID", "EDGES"], rows);
    }

    private static string Describe(GraphVersion graph, string key) =>
        graph.Find(key) is { } other ? $"{other.Type}:{other.Name ?? other.Id}" : key;

    public static void WriteColumns(TextWriter output, string[] header, IReadOnlyList<string[]> rows)
    {
        // Cells are the datasources' text (node names, a static file's names, another host's
        // notifications): escaped, so that none moves the terminal's cursor, clears it, renames its
        // window or starts a row of its own; and cut, since a column is as wide as its longest cell
        // (one 100 KB name made every row 100 KB).
        rows = rows.Select(r => r.Select(c => Logging.LogText.Quote(c)).ToArray()).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Format(header, widths));
        foreach (var row in rows)
        {
            output.WriteLine(Format(row, widths));
        }
    }

    private static string Format(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
