using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>Bad kubeconfigs fail when the driver is created, naming the file and what is wrong.</summary>
[Collection(nameof(EnvironmentVariableCollection))]
public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kubeconfig-test-");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Valid = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod
          cluster:
            server: https://127.0.0.1:6443
        contexts:
        - name: prod-admin
          context:
            cluster: prod
            user: admin
        - name: broken
          context:
            cluster: nowhere
            user: admin
        current-context: prod-admin
        users:
        - name: admin
          user:
            token: s3cr3t-t0ken
        """;

    private static DatasourceConfigurationException Fails(string configFile, string context = "") =>
        Should.Throw<DatasourceConfigurationException>(() => SimulatedCluster.CreateDriver(SimulatedCluster.Settings(configFile, context: context)));

    [Fact]
    public void CreateDriver_MissingFile_NamesTheFile()
    {
        var path = Path.Combine(_folder.FullName, "nope");
        Fails(path).Message.ShouldBe($"kubeconfig {path} ([kubernetes] config_file) does not exist");
    }

    [Fact]
    public void CreateDriver_FolderInsteadOfFile_SaysSo()
    {
        Fails(_folder.FullName).Message.ShouldBe($"[kubernetes] config_file {_folder.FullName} is a folder, not a kubeconfig file");
    }

    // The bound used to be FileInfo.Length, which a device does not have: /dev/zero was read until
    // the process ran out of memory.
    [Theory]
    [InlineData("a file past the bound", null)]
    [InlineData("an endless device", "/dev/zero")]
    public void CreateDriver_MoreThan16MiB_SaysItIsNotAKubeconfig(string name, string? device)
    {
        var path = device ?? Write("huge.yaml", "# " + new string('x', 16 << 20) + "\n");

        Fails(path).Message.ShouldBe($"kubeconfig {path} holds more than 16 MiB; a kubeconfig is a few KB: is this the right file?", name);
    }

    // Found by a hostile test (s44): the files a kubeconfig names were bounded by FileInfo.Length
    // too, which a device does not have: tokenFile: /dev/zero grew check-config by ~150 MB a
    // second until it ran out of memory (and a running host on every request).
    [Theory]
    [InlineData("tokenFile", "users", "tokenFile: /dev/zero", "user 'admin': tokenFile /dev/zero is larger than 64 KiB; is it the right file?")]
    [InlineData("client-certificate", "users", "client-certificate: /dev/zero\n    client-key: /dev/zero", "user 'admin': client-certificate /dev/zero is larger than 1 MiB; is it the right file?")]
    [InlineData("certificate-authority", "clusters", "certificate-authority: /dev/zero", "cluster 'prod': certificate-authority /dev/zero is larger than 1 MiB; is it the right file?")]
    public void CreateDriver_FileItNamesIsAnEndlessDevice_RefusedAsTooLarge(string name, string section, string lines, string expected)
    {
        var text = section == "users"
            ? Valid.Replace("token: s3cr3t-t0ken", lines, StringComparison.Ordinal)
            : Valid.Replace("server: https://127.0.0.1:6443", "server: https://127.0.0.1:6443\n    " + lines, StringComparison.Ordinal);
        var path = Write("config", text);

        Fails(path).Message.ShouldBe($"kubeconfig {path}: {expected}", name);
    }

    // Found by a hostile test (s44): a named pipe without a writer blocked the open for ever, and
    // with it check-config (killed after 40 s) or the start; the files it names did the same.
    [Theory]
    [InlineData("config_file")]
    [InlineData("tokenFile")]
    [InlineData("client-certificate")]
    public void CreateDriver_FileIsANamedPipeWithoutAWriter_GivesUpWithinFiveSeconds(string name)
    {
        var fifo = Path.Combine(_folder.FullName, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var path = name == "config_file" ? fifo : Write("config", Valid.Replace("token: s3cr3t-t0ken",
            name == "tokenFile" ? $"tokenFile: {fifo}" : $"client-certificate: {fifo}\n    client-key: {fifo}", StringComparison.Ordinal));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var message = Fails(path).Message;

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), name);
        message.ShouldStartWith($"kubeconfig {path}", Case.Sensitive, name);
        message.ShouldEndWith($"{fifo} cannot be read: it did not open and end within 5 s (a named pipe without a writer?)", Case.Sensitive, name);
    }

    [Theory]
    [InlineData("bad indentation", "apiVersion: v1\nkind: Config\n  clusters: []\n")]
    [InlineData("unclosed flow sequence", "apiVersion: v1\nclusters:\n- name: [unclosed\n  cluster: {}\n")]
    public void CreateDriver_BadYaml_NamesTheFileAndTheLine(string name, string text)
    {
        var path = Write("bad.yaml", text);
        var message = Fails(path).Message;
        message.ShouldStartWith($"kubeconfig {path} is not valid YAML: line 3, column ", customMessage: name);
    }

    [Fact]
    public void CreateDriver_UnknownContext_ListsTheContexts()
    {
        var path = Write("config", Valid);
        Fails(path, context: "staging").Message.ShouldBe($"kubeconfig {path} has no context 'staging' (contexts: prod-admin, broken)");
    }

    [Fact]
    public void CreateDriver_NoCurrentContext_AsksForOne()
    {
        var path = Write("config", Valid.Replace("current-context: prod-admin", string.Empty, StringComparison.Ordinal));
        Fails(path).Message.ShouldBe($"kubeconfig {path} has no current-context; set [kubernetes] context to one of: prod-admin, broken");
    }

    [Fact]
    public void CreateDriver_ContextWithUnknownCluster_SaysWhichCluster()
    {
        var path = Write("config", Valid);
        Fails(path, context: "broken").Message.ShouldBe($"kubeconfig {path}: context 'broken' names cluster 'nowhere', which is not in the clusters list");
    }

    [Fact]
    public void CreateDriver_UnreadableClientCertificate_NamesTheKubeconfigAndNotTheToken()
    {
        var path = Write("config", Valid.Replace("token: s3cr3t-t0ken", "client-certificate: /nonexistent/client.crt\n    client-key: /nonexistent/client.key", StringComparison.Ordinal));
        var message = Fails(path).Message;
        message.ShouldStartWith($"kubeconfig {path}: user 'admin': client-certificate /nonexistent/client.crt cannot be read: ");
        message.ShouldContain("could not find a part of the path '/nonexistent/client.", customMessage: message);
        message.ShouldNotContain("s3cr3t");
    }

    public static TheoryData<string, string, string> Malformed => new()
    {
        { "a name twice in one file", Valid + "\n- name: admin\n  user:\n    token: other\n", "line 21: users has two entries named 'admin'" },
        { "clusters not a list", "clusters: {}\n", "line 1: clusters must be a list" },
        { "entry without name", "clusters:\n- cluster:\n    server: https://x\n", "line 2: an entry of clusters has no name" },
        { "invalid base64 (value not shown)", Valid.Replace("token: s3cr3t-t0ken", "client-key-data: s3cr3t-t0ken!", StringComparison.Ordinal), "line 20: client-key-data is not valid base64" },
        { "a list where a value belongs", Valid.Replace("token: s3cr3t-t0ken", "token: [s3cr3t-t0ken]", StringComparison.Ordinal), "line 20: token must be a single value" },
        { "not a boolean", Valid.Replace("server: https://127.0.0.1:6443", "server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: maybe", StringComparison.Ordinal), "line 7: insecure-skip-tls-verify must be true or false" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void CreateDriver_MalformedKubeconfig_NamesTheFileAndLineButNoValue(string name, string text, string expected)
    {
        var path = Write("config", text);

        var message = Fails(path).Message;

        message.ShouldBe($"kubeconfig {path}: {expected}", name);
        message.ShouldNotContain("s3cr3t", Case.Sensitive, name);
    }

    [Fact]
    public void CreateDriver_ClusterWithoutServer_SaysSoAsKubectlDoes()
    {
        var path = Write("config", Valid.Replace("    server: https://127.0.0.1:6443\n", "    certificate-authority: ca.crt\n", StringComparison.Ordinal));

        Fails(path).Message.ShouldBe($"kubeconfig {path}: cluster 'prod' has no server (kubectl: no server found for cluster \"prod\")");
    }

    [Fact]
    public void CreateDriver_NotAKubeconfig_SaysSo()
    {
        var path = Write("config", "just: a yaml file\n");
        Fails(path).Message.ShouldBe($"kubeconfig {path} has no clusters or contexts; is it a kubeconfig?");
    }

    [Fact]
    public void CreateDriver_NoErrorMessage_ContainsTheToken()
    {
        var path = Write("config", Valid);
        Fails(path, context: "staging").Message.ShouldNotContain("s3cr3t");
    }

    [Fact]
    public async Task CreateDriver_EmptyConfigFile_UsesKubeconfigEnvironmentVariable()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 2 });
        var previous = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", $"/nonexistent/first{Path.PathSeparator}{cluster.Kubeconfig}");
        try
        {
            await using var driver = SimulatedCluster.CreateDriver(SimulatedCluster.Settings(string.Empty));
            (await SimulatedCluster.GetAllAsync(driver, TestContext.Current.CancellationToken)).Count.ShouldBe(3);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", previous);
        }
    }

    [Fact]
    public void CreateDriver_KubeconfigVariableNamesNoFile_SaysSo()
    {
        var previous = Environment.GetEnvironmentVariable("KUBECONFIG");
        Environment.SetEnvironmentVariable("KUBECONFIG", "/nonexistent/a");
        try
        {
            Fails(string.Empty).Message.ShouldBe("$KUBECONFIG names /nonexistent/a, but no such file exists");
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", previous);
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}

/// <summary>Tests that change process environment variables never run beside each other.</summary>
[CollectionDefinition(nameof(EnvironmentVariableCollection), DisableParallelization = true)]
public sealed class EnvironmentVariableCollection;
