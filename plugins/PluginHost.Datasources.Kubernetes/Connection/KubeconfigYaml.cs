using System.Globalization;
using PluginHost.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>Loads a kubeconfig file's YAML, turning every syntax error into a message with its line.</summary>
internal static class KubeconfigYaml
{
    // No real kubeconfig comes near this; a huge file is a mistake (or a log) that must not be parsed.
    private const int MaxBytes = 16 << 20;

    /// <summary>The root node, or null for an empty file.</summary>
    public static YamlNode? Load(string path)
    {
        string text;
        try
        {
            text = ReadBounded(path);
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

    // The bound is on what is read, not on FileInfo.Length: a device or a pipe has no length, and
    // config_file = /dev/zero (or $KUBECONFIG pointing at one) grew the process by a GB every few
    // seconds until it ran out of memory. A named pipe without a writer is given up on (BoundedFile).
    private static string ReadBounded(string path)
    {
        var bytes = BoundedFile.Read(path, MaxBytes)
            ?? throw new DatasourceConfigurationException($"kubeconfig {path} holds more than {MaxBytes >> 20} MiB; a kubeconfig is a few KB: is this the right file?");
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
