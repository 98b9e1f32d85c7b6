using PluginHost.KubeApiSimulator;
using PluginHost.Tests.Support;

namespace PluginHost.Datasources.Kubernetes.Tests.Parity;

/// <summary>A running row: its simulator(s), its folder, and the two tools run against them.</summary>
internal sealed class ParityRow : IAsyncDisposable
{
    private readonly ParityCase _case;
    private readonly List<KubeApiSimulator.KubeApiSimulator> _others = [];

    private ParityRow(ParityCase parityCase, SimulatedCluster cluster)
    {
        _case = parityCase;
        Cluster = cluster;
    }

    public SimulatedCluster Cluster { get; }

    public KubeApiSimulator.KubeApiSimulator Simulator => Cluster.Simulator;

    public string Folder => Cluster.Folder;

    /// <summary>The first extra server a row started (a redirect target).</summary>
    public KubeApiSimulator.KubeApiSimulator Other => _others[0];

    public static async Task<ParityRow> StartAsync(ParityCase parityCase)
    {
        var row = new ParityRow(parityCase, await SimulatedCluster.StartAsync(parityCase.Simulator));
        await parityCase.Prepare(row);
        return row;
    }

    public async Task<KubeApiSimulator.KubeApiSimulator> StartOtherAsync(SimulatorOptions options)
    {
        var other = await KubeApiSimulator.KubeApiSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        _others.Add(other);
        return other;
    }

    public Task<Kubectl.Result> RunKubectlAsync()
    {
        Arm();
        var args = new List<string>();
        var environment = Environment();
        if (_case.KubeconfigVariable is null)
        {
            args.AddRange(["--kubeconfig", WriteKubeconfig()]);
        }

        args.AddRange(_case.KubectlArgs);
        return Kubectl.GetNodesAsync(environment, args, Path.Combine(Folder, "kubectl-cache"), TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);
    }

    /// <summary>check-config and snapshot (check-config polls nothing, so they can run side by side).</summary>
    public async Task<(HostProcess.Result CheckConfig, HostProcess.Result Snapshot)> RunHostAsync()
    {
        Arm();
        var configFile = _case.KubeconfigVariable is null ? Path.GetFileName(WriteKubeconfig()) : string.Empty;
        // The row's options over short defaults (a key set twice in one file is a config error).
        var options = new Dictionary<string, string>
        {
            ["config_file"] = configFile.Length > 0 ? "../" + configFile : string.Empty, // relative: resolved against etc/
            ["request_timeout"] = "5",
            ["snapshot_timeout"] = "30",
        };
        foreach (var line in _case.Options.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('=', 2, StringSplitOptions.TrimEntries);
            options[parts[0]] = parts[1];
        }

        var config = Cluster.WriteFile("etc/vitrage.conf",
            "[datasources]\ntypes = kubernetes\n[kubernetes]\n" + string.Concat(options.Select(o => $"{o.Key} = {o.Value}\n")));
        var environment = Environment();
        var checkConfig = HostProcess.RunAsync(environment, "check-config", "--config-file", config);
        var snapshot = HostProcess.RunAsync(environment, "snapshot", "--config-file", config);
        return (await checkConfig, await snapshot);
    }

    private void Arm()
    {
        foreach (var simulator in _others.Prepend(Simulator))
        {
            simulator.Faults.Clear();
            simulator.Counters.Reset();
        }

        foreach (var fault in _case.Faults(this))
        {
            Simulator.Faults.Add(fault);
        }
    }

    private string WriteKubeconfig() => Cluster.WriteFile("kubeconfig.yaml", _case.Kubeconfig!(this));

    // Both tools see the same $KUBECONFIG (or none) and a HOME without a ~/.kube/config.
    private Dictionary<string, string?> Environment() => new()
    {
        ["KUBECONFIG"] = _case.KubeconfigVariable?.Invoke(this),
        ["HOME"] = Folder,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var other in _others)
        {
            await other.DisposeAsync();
        }

        await Cluster.DisposeAsync();
    }
}
