using System.Globalization;
using PluginHost.Api.Query;
using PluginHost.Cli;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.History;
using PluginHost.Scheduling;

namespace PluginHost.Demo;

/// <summary>What the demo shows of alarms: those on a node, and their rows in the alarm history.</summary>
internal static class DemoAlarms
{
    /// <summary>The live alarms on the node named <paramref name="nodeName"/>.</summary>
    public static List<VertexView> On(GraphVersion graph, string nodeName)
    {
        var node = graph.LiveVertices.FirstOrDefault(v => v.Type == "kubernetes.node" && v.Name == nodeName);
        return node is null ? [] : graph.LiveVertices
            .Where(v => v.Category == EntityCategories.Alarm && v.Alarm?.ResourceVitrageId == node.VitrageId)
            .OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    public static string OperationalState(GraphVersion graph, string nodeName) =>
        graph.LiveVertices.FirstOrDefault(v => v.Type == "kubernetes.node" && v.Name == nodeName)?.OperationalValue ?? "-";

    public static void Write(IReadOnlyList<VertexView> alarms) =>
        GraphTableRenderer.WriteColumns(Console.Out, ["SEVERITY", "ALARM", "TYPE", "SINCE", "REASON"], alarms.Select(a => new[]
        {
            a.OperationalValue ?? "-",
            a.Name ?? a.Id,
            a.Type,
            a.Alarm?.StartTimestamp ?? "-",
            VertexPropertyReader.GetString(a, "reason") ?? "-",
        }).ToList());

    /// <summary>The history rows of <paramref name="alarms"/>, once the history output has written them.</summary>
    public static async Task WriteHistoryAsync(DatasourceScheduler scheduler, HostConfiguration configuration, IReadOnlyList<VertexView> alarms,
        CancellationToken cancellationToken)
    {
        if (configuration.Host.History is not { } history || alarms.Count == 0)
        {
            return;
        }

        foreach (var output in scheduler.Outputs)
        {
            await output.FlushAsync(cancellationToken);
        }

        var ids = alarms.Select(a => a.VitrageId).ToList();
        var rows = new AlarmHistoryReader(history.DatabasePath).Read(new AlarmHistoryQuery { Filters = [("vitrage_id", ids)] });
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Alarm history ({history.DatabasePath}, what `vitrage alarm history` shows):"));
        GraphTableRenderer.WriteColumns(Console.Out, ["ALARM", "START", "END"], rows.Select(r => new[]
        {
            System.Text.Json.JsonDocument.Parse(r.Payload).RootElement.GetProperty("name").GetString() ?? "-",
            r.Start,
            r.End ?? "(active)",
        }).ToList());
    }
}
