using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Tests.History;

/// <summary>Alarm changes made by the real graph: nodes whose update derives an alarm, or no longer does.</summary>
internal sealed class AlarmTimeline
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly EntityGraph _graph;

    public AlarmTimeline()
    {
        _graph = new EntityGraph(Time);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>Node <paramref name="node"/> of <paramref name="project"/> at <paramref name="seconds"/>, with its alarm or without.</summary>
    public IReadOnlyList<GraphChange> Node(string node, int seconds, bool alarm, string? project = null, string alarmName = "NodeNotReady", string? start = null)
    {
        var alarmProperties = new Dictionary<string, object?> { ["severity"] = "CRITICAL" };
        if (start is not null)
        {
            alarmProperties["start_timestamp"] = start; // the datasource's own start (a condition's lastTransitionTime)
        }

        Time.SetUtcNow(Start.AddSeconds(seconds));
        var properties = project is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["project_id"] = project };
        var update = new EntityUpdate(new EntityVertex("kubernetes.node", node) { Name = node, State = alarm ? "NotReady" : "Ready", Properties = properties }, [], GraphAction.Update)
        {
            Derived = alarm
                ? [new EntityNeighbor(new EntityVertex("kubernetes.node.condition", $"{node}/{alarmName}")
                {
                    Category = EntityCategories.Alarm,
                    Name = alarmName,
                    State = "Active",
                    Properties = alarmProperties,
                }, EdgeLabels.On, EdgeDirection.ToVertex)]
                : [],
        };
        _graph.Apply(update, "kubernetes", Time.GetUtcNow());
        return _graph.TakeChanges().Where(c => c.IsAlarmStartOrEnd).ToList();
    }
}
