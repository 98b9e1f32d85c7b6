using System.Globalization;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Alarms;

/// <summary>
/// The alarms a node raises under a mapping, as vertices the node's update derives: each an
/// <c>ALARM</c> vertex of type <see cref="NodeAlarmMapping.AlarmType"/>, id
/// <c>&lt;node uid&gt;/&lt;alarm name&gt;</c>, <c>on</c> → the node. An alarm holds only what
/// stays the same while its cause lasts (no heartbeat times), so a snapshot that finds it again
/// changes nothing.
/// </summary>
internal static class NodeAlarms
{
    public const string ActiveState = "Active";

    /// <param name="node">The node's fields, read from <paramref name="json"/>.</param>
    /// <param name="json">The event's bytes.</param>
    /// <param name="nodeId">The node vertex's id.</param>
    /// <param name="nodeName">The node's name, when it has one.</param>
    /// <param name="mapping">Which conditions, taints and specs are alarms.</param>
    public static IReadOnlyList<EntityNeighbor> Derive(NodeFields node, ReadOnlySpan<byte> json, string nodeId, string? nodeName, NodeAlarmMapping mapping)
    {
        List<EntityNeighbor>? alarms = null;
        foreach (var rule in mapping.Rules)
        {
            var properties = rule.Source switch
            {
                NodeAlarmSource.Condition => FromCondition(node, json, rule),
                NodeAlarmSource.Taint => FromTaint(node, rule),
                _ => node.Unschedulable == true
                    ? new Dictionary<string, object?>(StringComparer.Ordinal) { ["source"] = "unschedulable" }
                    : null,
            };
            if (properties is null)
            {
                continue;
            }

            properties["severity"] = rule.Severity;
            if (nodeName is not null)
            {
                properties["resource_name"] = nodeName;
            }

            var alarm = new EntityVertex(NodeAlarmMapping.AlarmType, $"{nodeId}/{rule.Name}")
            {
                Category = EntityCategories.Alarm,
                Name = rule.Name,
                State = ActiveState,
                Properties = properties,
            };
            (alarms ??= []).Add(new EntityNeighbor(alarm, EdgeLabels.On, EdgeDirection.ToVertex));
        }

        return alarms ?? (IReadOnlyList<EntityNeighbor>)[];
    }

    private static Dictionary<string, object?>? FromCondition(NodeFields node, ReadOnlySpan<byte> json, NodeAlarmRule rule)
    {
        foreach (var condition in node.Conditions)
        {
            if (condition.Type == rule.Match && condition.Status is { } status && rule.Statuses.Contains(status, StringComparer.OrdinalIgnoreCase))
            {
                var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["source"] = "condition",
                    ["condition_type"] = rule.Match,
                    ["condition_status"] = status,
                };
                KubernetesNodeProperties.Copy(properties, "reason", condition.Reason.Text(json));
                KubernetesNodeProperties.Copy(properties, "message", condition.Message.Text(json));
                KubernetesNodeProperties.Copy(properties, "start_timestamp", Time(condition.LastTransitionTime.Text(json)));
                return properties;
            }
        }

        return null;
    }

    // A key tainted with several effects (NoSchedule and NoExecute) is one alarm.
    private static Dictionary<string, object?>? FromTaint(NodeFields node, NodeAlarmRule rule)
    {
        List<NodeTaint>? taints = null;
        foreach (var taint in node.TaintItems)
        {
            if (taint.Key == rule.Match)
            {
                (taints ??= []).Add(taint);
            }
        }

        if (taints is null)
        {
            return null; // most nodes: no list built
        }

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["source"] = "taint",
            ["taint_key"] = rule.Match,
            ["taint_effect"] = string.Join(",", taints.Select(t => t.Effect).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
        };
        KubernetesNodeProperties.Copy(properties, "taint_value", taints.Select(t => t.Value).FirstOrDefault(v => v is { Length: > 0 }));
        KubernetesNodeProperties.Copy(properties, "start_timestamp", taints.Select(t => Time(t.TimeAdded)).OfType<string>().Order(StringComparer.Ordinal).FirstOrDefault());
        return properties;
    }

    /// <summary>The graph's time format (UTC, microseconds), so alarm start times sort as text.</summary>
    private static string? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
            : null;
}
