using System.Globalization;
using System.Text.Json;
using PluginHost.Contracts;
using Json = PluginHost.Datasources.Kubernetes.KubernetesNodeProperties; // its tolerant readers of a raw node

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

    public static IReadOnlyList<EntityNeighbor> Derive(JsonElement node, string nodeId, string? nodeName, NodeAlarmMapping mapping)
    {
        List<EntityNeighbor>? alarms = null;
        foreach (var rule in mapping.Rules)
        {
            var properties = rule.Source switch
            {
                NodeAlarmSource.Condition => FromCondition(node, rule),
                NodeAlarmSource.Taint => FromTaint(node, rule),
                _ => Json.Child(Json.Child(node, "spec"), "unschedulable").ValueKind == JsonValueKind.True
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

    private static Dictionary<string, object?>? FromCondition(JsonElement node, NodeAlarmRule rule)
    {
        foreach (var condition in Json.Items(Json.Child(Json.Child(node, "status"), "conditions"), JsonValueKind.Object))
        {
            // Compared in place: every rule reads every condition, most of them another type.
            if (Json.Is(Json.Child(condition, "type"), rule.Match) && Json.String(condition, "status") is { } status
                && rule.Statuses.Contains(status, StringComparer.OrdinalIgnoreCase))
            {
                var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["source"] = "condition",
                    ["condition_type"] = rule.Match,
                    ["condition_status"] = status,
                };
                Json.Copy(properties, "reason", Json.String(condition, "reason"));
                Json.Copy(properties, "message", Json.String(condition, "message"));
                Json.Copy(properties, "start_timestamp", Time(Json.String(condition, "lastTransitionTime")));
                return properties;
            }
        }

        return null;
    }

    // A key tainted with several effects (NoSchedule and NoExecute) is one alarm.
    private static Dictionary<string, object?>? FromTaint(JsonElement node, NodeAlarmRule rule)
    {
        List<JsonElement>? taints = null;
        foreach (var taint in Json.Items(Json.Child(Json.Child(node, "spec"), "taints"), JsonValueKind.Object))
        {
            if (Json.Is(Json.Child(taint, "key"), rule.Match))
            {
                (taints ??= []).Add(taint);
            }
        }

        if (taints is null)
        {
            return null; // most nodes: no list built, no key read into a string
        }

        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["source"] = "taint",
            ["taint_key"] = rule.Match,
            ["taint_effect"] = string.Join(",", taints.Select(t => Json.String(t, "effect")).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
        };
        Json.Copy(properties, "taint_value", taints.Select(t => Json.String(t, "value")).FirstOrDefault(v => v is { Length: > 0 }));
        Json.Copy(properties, "start_timestamp", taints.Select(t => Time(Json.String(t, "timeAdded"))).OfType<string>().Order(StringComparer.Ordinal).FirstOrDefault());
        return properties;
    }

    /// <summary>The graph's time format (UTC, microseconds), so alarm start times sort as text.</summary>
    private static string? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)
            : null;
}
