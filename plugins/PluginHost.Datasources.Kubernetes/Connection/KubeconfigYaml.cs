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
    // seconds until it ran out of memory.
    private static string ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + read > MaxBytes)
            {
                throw new DatasourceConfigurationException($"kubeconfig {path} holds more than {MaxBytes >> 20} MiB; a kubeconfig is a few KB: is this the right file?");
            }

            bytes.Write(buffer, 0, read);
        }

        bytes.Position = 0;
        using var reader = new StreamReader(bytes, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
