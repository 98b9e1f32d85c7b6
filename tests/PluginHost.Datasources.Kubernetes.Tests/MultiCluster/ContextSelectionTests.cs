using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Tests.MultiCluster;

/// <summary>
/// <c>[kubernetes] contexts</c>: which contexts become datasources of their own, and the settings
/// that are refused because two drivers would then report the same vertices.
/// </summary>
public sealed class ContextSelectionTests : IDisposable
{
    // prod-a and prod-a-readonly read one cluster; mirror is another entry for prod-b's server.
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: cluster-a
          cluster:
            server: https://10.0.0.1:6443
        - name: cluster-b
          cluster:
            server: https://10.0.0.2:6443
        - name: mirror-of-b
          cluster:
            server: https://10.0.0.2:6443/
        contexts:
        - name: prod-a
          context: {cluster: cluster-a, user: reader}
        - name: prod-b
          context: {cluster: cluster-b, user: reader}
        - name: prod-a-readonly
          context: {cluster: cluster-a, user: reader}
        - name: b-again
          context: {cluster: mirror-of-b, user: reader}
        current-context: prod-a
        users:
        - name: reader
          user:
            token: s3cr3t-t0ken
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("contexts-test-");

    private string KubeconfigFile()
    {
        var path = Path.Combine(_folder.FullName, "kubeconfig");
        File.WriteAllText(path, Kubeconfig);
        return path;
    }

    private static DatasourceSettings Settings(string kubeconfig, string contexts, string context, string clusterName) =>
        SimulatedCluster.Settings(kubeconfig, context: context, clusterName: clusterName,
            contexts: contexts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    public static TheoryData<string, string, string, string, string[]> Accepted => new()
    {
        { "empty: one datasource for context", "", "", "", [] },
        { "empty, with context and cluster_name as before", "", "prod-b", "edge", [] },
        { "two names, listed order", "prod-b, prod-a", "", "", ["prod-b", "prod-a"] },
        { "a name twice is read once", "prod-a, prod-a", "", "", ["prod-a"] },
        { "one name with cluster_name", "prod-b", "", "edge", ["prod-b"] },
        { "*: the first context of each cluster, kubeconfig order", "*", "", "", ["prod-a", "prod-b"] },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void ListInstances_Contexts_AreTheDatasourcesToRun(string name, string contexts, string context, string clusterName, string[] expected)
    {
        var instances = new KubernetesDatasourcePlugin().ListInstances(Settings(KubeconfigFile(), contexts, context, clusterName));

        instances.ShouldBe(expected, name);
    }

    public static TheoryData<string, string, string, string, string> Refused => new()
    {
        { "context and contexts", "prod-a, prod-b", "prod-a", "", "context and contexts are both set; with contexts, leave context empty" },
        { "* among names", "*, prod-a", "", "", "contexts = * already reads every context; give either * or a list of names" },
        { "cluster_name with two contexts", "prod-a, prod-b", "", "edge", "cluster_name names one cluster vertex, but contexts reads several clusters" },
        { "cluster_name with *", "*", "", "edge", "cluster_name names one cluster vertex, but contexts reads several clusters" },
        { "unknown context", "prod-a, prod-c", "", "", "has no context 'prod-c' (contexts: prod-a, prod-b, prod-a-readonly, b-again)" },
        { "two contexts of one cluster entry", "prod-a, prod-a-readonly", "", "", "contexts 'prod-a' and 'prod-a-readonly' both read cluster 'cluster-a' (https://10.0.0.1:6443)" },
        { "two cluster entries of one server", "prod-b, b-again", "", "", "contexts 'prod-b' and 'b-again' both read cluster 'cluster-b' (https://10.0.0.2:6443)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void ListInstances_UnusableContexts_FailsSayingWhy(string name, string contexts, string context, string clusterName, string message)
    {
        var e = Should.Throw<DatasourceConfigurationException>(
            () => new KubernetesDatasourcePlugin().ListInstances(Settings(KubeconfigFile(), contexts, context, clusterName)), name);

        e.Message.ShouldContain(message, Case.Sensitive, name);
        e.Message.ShouldNotContain("s3cr3t", Case.Sensitive, name);
    }

    [Fact]
    public void ListInstances_ContextsWithoutKubeconfigFile_FailsNamingTheFile()
    {
        var missing = Path.Combine(_folder.FullName, "missing");

        Should.Throw<DatasourceConfigurationException>(() => new KubernetesDatasourcePlugin().ListInstances(Settings(missing, "prod-a", "", "")))
            .Message.ShouldBe($"kubeconfig {missing} ([kubernetes] config_file) does not exist");
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
