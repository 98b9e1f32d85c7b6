using System.Globalization;
using PluginHost.Contracts;
using YamlDotNet.RepresentationModel;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Reads one kubeconfig file the way kubectl does: unknown keys are ignored, names are
/// case-sensitive, a name twice in one list is an error, <c>*-data</c> fields are base64, and
/// relative paths (certificate files, <c>tokenFile</c>, an exec command with a slash) are
/// resolved against this file's folder. Every error names the file and line, never a value.
/// </summary>
internal static class KubeconfigReader
{
    public static Kubeconfig Read(string path)
    {
        var root = KubeconfigYaml.Load(path);
        if (root is null)
        {
            return Kubeconfig.Empty; // an empty file is a valid, empty kubeconfig (kubectl merges it away)
        }

        var file = new FileScope(path);
        var map = file.Mapping(root, "the document");
        return new Kubeconfig(
            file.NamedList(map, "clusters", "cluster", ReadCluster),
            file.NamedList(map, "users", "user", ReadUser),
            file.NamedList(map, "contexts", "context", ReadContext),
            file.String(map, "current-context"));
    }

    private static KubeCluster ReadCluster(FileScope file, string name, KubeconfigOrigin origin, YamlMappingNode cluster) => new(name, origin)
    {
        Server = file.String(cluster, "server"),
        CertificateAuthority = file.LocalPath(cluster, "certificate-authority"),
        CertificateAuthorityData = file.Base64(cluster, "certificate-authority-data"),
        InsecureSkipTlsVerify = file.Bool(cluster, "insecure-skip-tls-verify"),
        TlsServerName = file.String(cluster, "tls-server-name"),
        ProxyUrl = file.String(cluster, "proxy-url"),
    };

    private static KubeContext ReadContext(FileScope file, string name, KubeconfigOrigin origin, YamlMappingNode context) =>
        new(name, origin, file.String(context, "cluster") ?? string.Empty, file.String(context, "user"));

    private static KubeUser ReadUser(FileScope file, string name, KubeconfigOrigin origin, YamlMappingNode user) => new(name, origin)
    {
        Token = file.String(user, "token"),
        TokenFile = file.LocalPath(user, "tokenFile"),
        ClientCertificate = file.LocalPath(user, "client-certificate"),
        ClientCertificateData = file.Base64(user, "client-certificate-data"),
        ClientKey = file.LocalPath(user, "client-key"),
        ClientKeyData = file.Base64(user, "client-key-data"),
        Username = file.String(user, "username"),
        Password = file.String(user, "password"),
        Impersonate = file.String(user, "as"),
        ImpersonateGroups = file.Strings(user, "as-groups"),
        Exec = file.Child(user, "exec") is { } exec ? ReadExec(file, exec) : null,
        AuthProvider = file.Child(user, "auth-provider") is { } provider
            ? new AuthProviderConfig(file.String(provider, "name") ?? string.Empty, file.StringMap(provider, "config"))
            : null,
    };

    private static ExecConfig ReadExec(FileScope file, YamlMappingNode exec)
    {
        var command = file.String(exec, "command") ?? string.Empty;
        return new ExecConfig
        {
            // client-go resolves a command with a slash against the kubeconfig; a bare name is looked up in PATH.
            Command = command.Contains('/', StringComparison.Ordinal) ? file.Resolve(command) : command,
            Args = file.Strings(exec, "args"),
            Env = file.EnvList(exec, "env"),
            ApiVersion = file.String(exec, "apiVersion") ?? string.Empty,
            InstallHint = file.String(exec, "installHint"),
            ProvideClusterInfo = file.Bool(exec, "provideClusterInfo"),
            InteractiveMode = file.String(exec, "interactiveMode"),
        };
    }

    /// <summary>Typed access to one file's YAML nodes; errors say "kubeconfig FILE: line N: what".</summary>
    private sealed class FileScope(string path)
    {
        private readonly string _folder = Path.GetDirectoryName(path) ?? ".";

        public IReadOnlyList<T> NamedList<T>(YamlMappingNode parent, string key, string inner, Func<FileScope, string, KubeconfigOrigin, YamlMappingNode, T> read)
        {
            if (Value(parent, key) is not { } node || IsNull(node))
            {
                return [];
            }

            if (node is not YamlSequenceNode list)
            {
                throw Error(node, $"{key} must be a list");
            }

            var result = new List<T>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in list)
            {
                var entry = Mapping(item, $"an entry of {key}");
                var name = String(entry, "name") ?? throw Error(item, $"an entry of {key} has no name");
                if (!names.Add(name))
                {
                    throw Error(item, $"{key} has two entries named '{name}'");
                }

                var body = Child(entry, inner) ?? new YamlMappingNode();
                result.Add(read(this, name, new KubeconfigOrigin(path, Line(item)), body));
            }

            return result;
        }

        public YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping of keys to values");

        public YamlMappingNode? Child(YamlMappingNode parent, string key) =>
            Value(parent, key) is { } node && !IsNull(node) ? Mapping(node, key) : null;

        public string? String(YamlMappingNode parent, string key) => Value(parent, key) switch
        {
            null => null,
            var node when IsNull(node) => null,
            YamlScalarNode scalar => scalar.Value is { Length: > 0 } text ? text : null,
            var node => throw Error(node, $"{key} must be a single value"),
        };

        public bool Bool(YamlMappingNode parent, string key) => String(parent, key)?.ToUpperInvariant() switch
        {
            null or "FALSE" or "NO" or "OFF" => false,
            "TRUE" or "YES" or "ON" => true,
            _ => throw Error(Value(parent, key)!, $"{key} must be true or false"),
        };

        public byte[]? Base64(YamlMappingNode parent, string key)
        {
            var text = String(parent, key);
            try
            {
                return text is null ? null : Convert.FromBase64String(text.Trim());
            }
            catch (FormatException)
            {
                throw Error(Value(parent, key)!, $"{key} is not valid base64"); // the value may be a key: never shown
            }
        }

        public string? LocalPath(YamlMappingNode parent, string key) => String(parent, key) is { } value ? Resolve(value) : null;

        public string Resolve(string value) => Path.IsPathRooted(value) ? value : Path.GetFullPath(value, _folder);

        public IReadOnlyList<string> Strings(YamlMappingNode parent, string key) => Value(parent, key) switch
        {
            null => [],
            var node when IsNull(node) => [],
            YamlSequenceNode list => list.Select(item => item is YamlScalarNode { Value: { } text } ? text : throw Error(item, $"{key} must be a list of values")).ToList(),
            var node => throw Error(node, $"{key} must be a list"),
        };

        public IReadOnlyDictionary<string, string> StringMap(YamlMappingNode parent, string key) =>
            Child(parent, key) is { } map
                ? map.Children.ToDictionary(
                    pair => (pair.Key as YamlScalarNode)?.Value ?? throw Error(pair.Key, $"{key} must map names to values"),
                    pair => (pair.Value as YamlScalarNode)?.Value ?? throw Error(pair.Value, $"{key} must map names to values"),
                    StringComparer.Ordinal)
                : new Dictionary<string, string>();

        public IReadOnlyList<KeyValuePair<string, string>> EnvList(YamlMappingNode parent, string key) => Value(parent, key) switch
        {
            null => [],
            var node when IsNull(node) => [],
            YamlSequenceNode list => list.Select(item =>
            {
                var entry = Mapping(item, $"an entry of {key}");
                var name = String(entry, "name") ?? throw Error(item, $"an entry of {key} has no name");
                return KeyValuePair.Create(name, String(entry, "value") ?? string.Empty);
            }).ToList(),
            var node => throw Error(node, $"{key} must be a list of name/value pairs"),
        };

        private static YamlNode? Value(YamlMappingNode parent, string key) =>
            parent.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        // YAML's null: ~, null, or nothing after the colon.
        private static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private static int Line(YamlNode node) => (int)Math.Min(node.Start.Line, int.MaxValue);

        private DatasourceConfigurationException Error(YamlNode node, string message) =>
            new(string.Create(CultureInfo.InvariantCulture, $"kubeconfig {path}: line {Line(node)}: {message}"));
    }
}
