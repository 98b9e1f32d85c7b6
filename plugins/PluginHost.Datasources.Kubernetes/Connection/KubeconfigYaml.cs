using System.Globalization;
using PluginHost.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>Loads a kubeconfig file's YAML, turning every syntax error into a message with its line.</summary>
internal static class KubeconfigYaml
{
    // No real kubeconfig comes near this; a huge file is a mistake (or a log) that must not be parsed.
    private const long MaxBytes = 16L << 20;

    /// <summary>The root node, or null for an empty file.</summary>
    public static YamlNode? Load(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxBytes)
            {
                throw new DatasourceConfigurationException($"kubeconfig {path} is {info.Length / (1 << 20)} MiB; a kubeconfig is a few KB: is this the right file?");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasourceConfigurationException($"kubeconfig {path} cannot be read: {e.Message}", e);
        }

        var stream = new YamlStream();
        Parser? parser = null;
        try
        {
            parser = new Parser(new StringReader(text));
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new DatasourceConfigurationException(
                string.Create(CultureInfo.InvariantCulture, $"kubeconfig {path} is not valid YAML: line {e.Start.Line}, column {e.Start.Column}: {e.Message}"), e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some unterminated constructs; the last good event says where.
            var line = parser?.Current?.End.Line;
            throw new DatasourceConfigurationException(
                $"kubeconfig {path} is not valid YAML: line {line?.ToString(CultureInfo.InvariantCulture) ?? "?"}, column 1: an unterminated or malformed value after this point", e);
        }

        return stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }
            ? null
            : stream.Documents[0].RootNode;
    }
}
