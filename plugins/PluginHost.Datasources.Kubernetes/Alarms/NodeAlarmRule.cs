namespace PluginHost.Datasources.Kubernetes.Alarms;

/// <summary>What in a node raises an alarm.</summary>
internal enum NodeAlarmSource
{
    /// <summary>A condition (<c>status.conditions[]</c>) with one of the rule's statuses.</summary>
    Condition,

    /// <summary>A taint (<c>spec.taints[]</c>) with the rule's key, whatever its effect.</summary>
    Taint,

    /// <summary>A cordoned node (<c>spec.unschedulable</c>).</summary>
    Unschedulable,
}

/// <summary>One entry of the alarm mapping: which node fact is an alarm, its name and severity.</summary>
/// <param name="Match">The condition type or the taint key; empty for <see cref="NodeAlarmSource.Unschedulable"/>.</param>
/// <param name="Statuses">The condition statuses that raise it (e.g. <c>False</c>, <c>Unknown</c>).</param>
/// <param name="Name">The alarm's name, unique in its mapping: with the node's uid it is the alarm's id.</param>
/// <param name="Severity">The alarm's <c>severity</c>, which the values file of the alarm type maps.</param>
internal sealed record NodeAlarmRule(NodeAlarmSource Source, string Match, IReadOnlyList<string> Statuses, string Name, string Severity);
