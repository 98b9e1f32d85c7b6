using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluginHost.States;

/// <summary>
/// Reads Vitrage's datasource values format: <c>category</c>, then <c>values</c>, a list of
/// <c>aggregated values</c> each with a <c>priority</c> and its <c>original values</c>
/// (<c>name</c> → <c>operational_value</c>). Original values are matched case-insensitively, as
/// Vitrage upper-cases them; operational values must be the category's own. Every error names the
/// file, the line and the entry.
/// </summary>
internal static class ValuesFileParser
{
    /// <summary>Files larger than this are not values files; reading them whole is not worth it.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <exception cref="ValuesFileException">The file cannot be read or is not a valid values file.</exception>
    public static ValuesFile Parse(string path)
    {
        string text;
        try
        {
            // Bounded: the size check it had read a link's own size, so a link to /dev/zero (or a
            // named pipe named *.yaml) in a values folder hung check-config and run's start.
            using var bytes = Configuration.BoundedFileReader.Read(path, MaxFileBytes);
            using var reader = new StreamReader(bytes, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Configuration.FileTooLargeException)
        {
            throw new ValuesFileException($"{path}: larger than {MaxFileBytes} bytes, not a values file");
        }
        catch (Configuration.FileOpenTimeoutException e)
        {
            throw new ValuesFileException($"{e.Message}: a values file must be a file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ValuesFileException($"{path}: cannot be read: {e.Message}");
        }

        return Parse(path, text);
    }

    public static ValuesFile Parse(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ValuesFileException(Invariant($"{path}:{e.Start.Line}: not valid YAML (column {e.Start.Column}): {e.Message}"));
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ValuesFileException($"{path}:1: expected a mapping with 'category' and 'values'");
        }

        var file = new Scope(path);
        var category = file.Scalar(root, "category", "category");
        var allowed = OperationalValues.For(category)
            ?? throw file.Error(root["category"], "category", $"'{category}' is neither RESOURCE nor ALARM");
        var values = new Dictionary<string, MappedValue>(StringComparer.Ordinal);
        var items = file.Sequence(root, "values", "values");
        for (var i = 0; i < items.Children.Count; i++)
        {
            var entry = Invariant($"values[{i}]");
            var aggregated = file.Mapping(file.Mapping(items.Children[i], entry), "aggregated values", $"{entry}.aggregated values");
            var priorityText = file.Scalar(aggregated, "priority", $"{entry}.aggregated values.priority");
            if (!int.TryParse(priorityText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var priority))
            {
                throw file.Error(aggregated["priority"], $"{entry}.aggregated values.priority", $"'{priorityText}' is not an integer");
            }

            var originals = file.Sequence(aggregated, "original values", $"{entry}.aggregated values.original values");
            for (var j = 0; j < originals.Children.Count; j++)
            {
                var where = Invariant($"{entry}.aggregated values.original values[{j}]");
                var original = file.Mapping(originals.Children[j], where);
                var name = file.Scalar(original, "name", $"{where}.name");
                var operational = file.Scalar(original, "operational_value", $"{where}.operational_value");
                if (!allowed.Contains(operational, StringComparer.Ordinal))
                {
                    throw file.Error(original["operational_value"], $"{where}.operational_value",
                        $"'{operational}' is not a {category} value ({string.Join(", ", allowed)})");
                }

                values[name.ToUpperInvariant()] = new MappedValue(operational, priority);
            }
        }

        return new ValuesFile(System.IO.Path.GetFileNameWithoutExtension(path), category, path, values);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Typed reads of one file's nodes, each failure naming where.</summary>
    private sealed class Scope(string path)
    {
        public ValuesFileException Error(YamlNode node, string entry, string problem) =>
            new(Invariant($"{path}:{node.Start.Line}: {entry}: {problem}"));

        public YamlMappingNode Mapping(YamlNode node, string entry) =>
            node as YamlMappingNode ?? throw Error(node, entry, "expected a mapping");

        public YamlMappingNode Mapping(YamlMappingNode parent, string key, string entry) => Mapping(Child(parent, key, entry), entry);

        public YamlSequenceNode Sequence(YamlMappingNode parent, string key, string entry) =>
            Child(parent, key, entry) as YamlSequenceNode ?? throw Error(parent[key], entry, "expected a list");

        public string Scalar(YamlMappingNode parent, string key, string entry) =>
            Child(parent, key, entry) is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(parent[key], entry, "expected a non-empty value");

        private YamlNode Child(YamlMappingNode parent, string key, string entry) =>
            parent.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : throw Error(parent, entry, "missing");
    }
}
