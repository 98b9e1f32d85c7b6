using System.Globalization;
using PluginHost.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluginHost.Datasources.Kubernetes.Alarms;

/// <summary>
/// Reads the alarm mapping file: <c>conditions</c> (each <c>condition</c>, <c>status</c> one or a
/// list, <c>name</c>, <c>severity</c>), <c>taints</c> (each <c>key</c>, <c>name</c>,
/// <c>severity</c>) and <c>unschedulable</c> (<c>name</c>, <c>severity</c>). Every error names the
/// file, the line and the entry.
/// </summary>
internal static class NodeAlarmMappingParser
{
    private const int MaxBytes = 1 << 20;

    /// <exception cref="DatasourceConfigurationException">The file cannot be read or is not a valid mapping.</exception>
    public static NodeAlarmMapping Load(string path)
    {
        string text;
        try
        {
            // Bounded by what is read: a device (/dev/zero) has no length to refuse it by.
            text = Connection.BoundedFile.ReadText(path, MaxBytes)
                ?? throw new DatasourceConfigurationException($"alarm mapping {path} ([kubernetes] alarms_file) is larger than 1 MiB: is this the right file?");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasourceConfigurationException($"alarm mapping {path} ([kubernetes] alarms_file) cannot be read: {e.Message}", e);
        }

        return Parse(path, text);
    }

    public static NodeAlarmMapping Parse(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new DatasourceConfigurationException(Invariant($"{path}:{e.Start.Line}: not valid YAML (column {e.Start.Column}): {e.Message}"), e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new DatasourceConfigurationException($"{path}:1: expected a mapping with conditions, taints and unschedulable");
        }

        var file = new Scope(path);
        var rules = new List<NodeAlarmRule>();
        foreach (var (entry, node) in file.Items(root, "conditions"))
        {
            rules.Add(new NodeAlarmRule(NodeAlarmSource.Condition, file.Text(node, "condition", entry), file.Statuses(node, entry),
                file.Text(node, "name", entry), file.Text(node, "severity", entry)));
        }

        foreach (var (entry, node) in file.Items(root, "taints"))
        {
            rules.Add(new NodeAlarmRule(NodeAlarmSource.Taint, file.Text(node, "key", entry), [], file.Text(node, "name", entry), file.Text(node, "severity", entry)));
        }

        if (root.Children.TryGetValue(new YamlScalarNode("unschedulable"), out var cordon))
        {
            var node = file.Mapping(cordon, "unschedulable");
            rules.Add(new NodeAlarmRule(NodeAlarmSource.Unschedulable, string.Empty, [], file.Text(node, "name", "unschedulable"),
                file.Text(node, "severity", "unschedulable")));
        }

        var repeated = rules.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new DatasourceConfigurationException($"{path}: the alarm name '{repeated.Key}' is used {repeated.Count()} times; each entry needs its own name (with the node it is the alarm's id)");
        }

        return new NodeAlarmMapping(path, rules);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Typed reads of one file's nodes, each failure naming where.</summary>
    private sealed class Scope(string path)
    {
        private DatasourceConfigurationException Error(YamlNode node, string entry, string problem) =>
            new(Invariant($"{path}:{node.Start.Line}: {entry}: {problem}"));

        public IEnumerable<(string Entry, YamlMappingNode Node)> Items(YamlMappingNode root, string key)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var list))
            {
                yield break;
            }

            var items = list as YamlSequenceNode ?? throw Error(list, key, "expected a list");
            for (var i = 0; i < items.Children.Count; i++)
            {
                var entry = Invariant($"{key}[{i}]");
                yield return (entry, Mapping(items.Children[i], entry));
            }
        }

        public YamlMappingNode Mapping(YamlNode node, string entry) => node as YamlMappingNode ?? throw Error(node, entry, "expected a mapping");

        public string Text(YamlMappingNode node, string key, string entry) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out var value)
                ? value is YamlScalarNode { Value: { Length: > 0 } text } ? text : throw Error(value, $"{entry}.{key}", "expected a non-empty text")
                : throw Error(node, $"{entry}.{key}", "missing");

        // "status: False" or "status: [False, Unknown]"; YAML's False stays the text Kubernetes writes.
        public IReadOnlyList<string> Statuses(YamlMappingNode node, string entry)
        {
            if (node.Children.TryGetValue(new YamlScalarNode("status"), out var value) && value is YamlSequenceNode list)
            {
                var statuses = list.Children.Select(s => s is YamlScalarNode { Value: { Length: > 0 } text } ? text : throw Error(s, $"{entry}.status", "expected a status")).ToList();
                return statuses.Count > 0 ? statuses : throw Error(list, $"{entry}.status", "expected at least one status");
            }

            return [Text(node, "status", entry)];
        }
    }
}
