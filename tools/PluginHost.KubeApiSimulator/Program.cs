using System.CommandLine;
using System.Runtime.InteropServices;
using PluginHost.KubeApiSimulator;

var nodes = new Option<int>("--nodes") { Description = "Generated nodes.", DefaultValueFactory = _ => 100 };
var seed = new Option<int>("--seed") { Description = "Same seed, same nodes.", DefaultValueFactory = _ => 42 };
var provider = new Option<ProviderMode>("--provider") { Description = "openstack, aws, gce, azure, none or mixed.", DefaultValueFactory = _ => ProviderMode.Mixed };
var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0: any free port).", DefaultValueFactory = _ => 0 };
var https = new Option<bool>("--https") { Description = "Serve HTTPS with a generated CA (written into the kubeconfig)." };
var auth = new Option<SimulatorAuth>("--auth") { Description = "none, token or clientcertificate.", DefaultValueFactory = _ => SimulatorAuth.None };
var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Write a kubeconfig for this simulator here." };
var fixture = new Option<string?>("--fixture") { Description = "Also serve the nodes of this YAML/JSON file." };
var vitrageNode = new Option<bool>("--vitrage-spec-node") { Description = "Also serve the node of Vitrage's Kubernetes spec (bcmt-control-01)." };
var legacy = new Option<bool>("--legacy-external-id") { Description = "Also set the deprecated spec.externalID." };
var cluster = new Option<string>("--cluster-name") { Description = "Cluster name in the kubeconfig.", DefaultValueFactory = _ => "sim-cluster" };
var certificateNames = new Option<string[]>("--server-cert-names")
{
    Description = "Names and IPs the HTTPS certificate is valid for (default 127.0.0.1 ::1 localhost; others make a wrong-host certificate).",
    AllowMultipleArgumentsPerToken = true,
};
var invalidNodes = new Option<bool>("--invalid-nodes") { Description = "Also serve a node that is not UTF-8, one without uid and one repeating a uid." };

var root = new RootCommand("A fake kube-apiserver for PluginHost tests and demos. Stop it with Ctrl+C.")
{
    nodes, seed, provider, port, https, auth, kubeconfig, fixture, vitrageNode, legacy, cluster, certificateNames, invalidNodes,
};
root.SetAction(async (parseResult, _) =>
{
    // SIGTERM (systemd, kill, a test's cleanup) and SIGINT (Ctrl+C) stop the simulator cleanly.
    using var stop = new CancellationTokenSource();
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }

    var cancellationToken = stop.Token;
    var options = new SimulatorOptions
    {
        NodeCount = parseResult.GetValue(nodes),
        Seed = parseResult.GetValue(seed),
        Provider = parseResult.GetValue(provider),
        Port = parseResult.GetValue(port),
        Https = parseResult.GetValue(https) || parseResult.GetValue(auth) == SimulatorAuth.ClientCertificate,
        Auth = parseResult.GetValue(auth),
        FixtureFile = parseResult.GetValue(fixture),
        IncludeVitrageSpecNode = parseResult.GetValue(vitrageNode),
        LegacyExternalId = parseResult.GetValue(legacy),
        ClusterName = parseResult.GetValue(cluster)!,
        ServerCertificateNames = parseResult.GetValue(certificateNames) is { Length: > 0 } names ? names : new SimulatorOptions().ServerCertificateNames,
        InvalidNodes = parseResult.GetValue(invalidNodes),
    };
    await using var simulator = await KubeApiSimulator.StartAsync(options, cancellationToken);
    if (parseResult.GetValue(kubeconfig) is { } path)
    {
        await simulator.WriteKubeconfigAsync(path);
        Console.WriteLine($"kubeconfig: {Path.GetFullPath(path)}");
    }

    Console.WriteLine($"Serving {simulator.Nodes.Count} nodes at {simulator.BaseUrl} (admin: {simulator.BaseUrl}_sim/counters); stop with Ctrl+C or SIGTERM");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping");
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();
