using System.CommandLine;
using System.Globalization;
using PluginHost.Cli;
using PluginHost.Configuration;
using PluginHost.Graph;
using PluginHost.KubeApiSimulator;
using PluginHost.Scheduling;

namespace PluginHost.Demo;

/// <summary>
/// The demo: the main job on an embedded default. Starts the Kubernetes API simulator, runs the
/// real Kubernetes plugin from the plugins folder against it, prints what the graph holds, changes
/// the cluster and snapshots again to show additions and deletions, and writes the graph JSON.
/// </summary>
internal static class DemoRunner
{
    private const int MinNodes = 10;
    private const int MaxNodes = 100_000;

    public static RootCommand Create()
    {
        var nodes = new Option<int>("--nodes") { Description = $"Nodes in the simulated cluster ({MinNodes} to {MaxNodes}).", DefaultValueFactory = _ => 300 };
        nodes.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < MinNodes or > MaxNodes)
            {
                result.AddError($"--nodes {value}: the demo needs from {MinNodes} to {MaxNodes} nodes (it deletes one, adds two and makes one NotReady)");
            }
        });
        var graphFile = new Option<string>("--graph-file")
        {
            Description = "Where to write the graph JSON.",
            DefaultValueFactory = _ => "demo-graph.json",
        };
        var command = new RootCommand("PluginHost demo: the Kubernetes and static datasources against a simulated cluster, and what the graph holds.")
        {
            nodes, graphFile,
        };
        command.SetAction((parseResult, _) => VerbExecution.GuardAsync(() =>
            RunAsync(parseResult.GetValue(nodes), Path.GetFullPath(parseResult.GetValue(graphFile)!), ProcessSignals.Stopping)));
        return command;
    }

    private static async Task<int> RunAsync(int nodeCount, string graphFile, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("pluginhost-demo-");
        try
        {
            await using var simulator = await KubeApiSimulator.KubeApiSimulator.StartAsync(new SimulatorOptions
            {
                NodeCount = nodeCount,
                Provider = ProviderMode.OpenStack,
                IncludeVitrageSpecNode = true,
                Https = true,
                Auth = SimulatorAuth.Token,
                Token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
                ClusterName = "demo-cluster",
                ContextName = "demo",
            }, cancellationToken);
            var kubeconfig = Path.Combine(work.FullName, "kubeconfig");
            await simulator.WriteKubeconfigAsync(kubeconfig);
            Console.WriteLine($"Simulated cluster 'demo-cluster': {simulator.Nodes.Count} nodes at {simulator.BaseUrl} (HTTPS, bearer token)");

            var staticFolder = Path.Combine(AppContext.BaseDirectory, "etc", "static_datasources");
            var files = ConfigFileSet.FromValues(
            [
                Value(HostOptionCatalog.DatasourcesSection, "types", "kubernetes,static"),
                Value("static", "directory", staticFolder),
                Value(HostOptionCatalog.PluginHostSection, "graph_file", graphFile),
                Value(HostOptionCatalog.PluginHostSection, "log_level", "warning"),
                Value(HostOptionCatalog.PluginHostSection, "state_dir", work.FullName), // the alarm history, gone with the demo
                Value("kubernetes", "config_file", kubeconfig),
                Value("kubernetes", "page_size", "100"),
            ]);
            var (configuration, logging) = VerbExecution.LoadConfiguration(files, requireDatasource: true);
            using (logging)
            {
                foreach (var plugin in configuration.Datasources.Select(d => d.Plugin))
                {
                    Console.WriteLine($"Plugin {plugin.Name} {plugin.Version} loaded from {plugin.Folder}");
                }

                await using var scheduler = DatasourceScheduler.Create(configuration, logging, TimeProvider.System);

                var failed = await scheduler.SnapshotOnceAsync(cancellationToken);
                if (failed.Count > 0)
                {
                    await VerbExecution.WriteErrorsAsync(failed.Select(f => $"{f}: {scheduler.Runners.First(r => r.Name == f).Status.Current.LastError}"));
                    return ExitCodes.DatasourceFailed;
                }

                Console.WriteLine($"Snapshot 1: {simulator.Counters.NodeListRequests} pages of /api/v1/nodes (page_size 100)");
                Console.WriteLine();
                WriteSummary(scheduler.Versions.Current);

                var removed = simulator.Nodes.Names.Last();
                simulator.Nodes.Delete(removed);
                var added = simulator.AddGeneratedNodes(2);
                var flipped = simulator.Nodes.Names[5];
                simulator.Nodes.SetReady(flipped, "False");
                Console.WriteLine();
                Console.WriteLine($"Cluster changed: deleted {removed}, added {string.Join(", ", added)}, {flipped} became NotReady");
                failed = await scheduler.SnapshotOnceAsync(cancellationToken);
                if (failed.Count > 0)
                {
                    return ExitCodes.DatasourceFailed;
                }

                var graph = scheduler.Versions.Current;
                Console.WriteLine($"Snapshot 2: {Describe(graph, removed)}; {string.Join(", ", added.Select(a => Describe(graph, a)))}; {Describe(graph, flipped)}");
                WriteCounts(graph);
                var raised = DemoAlarms.On(graph, flipped);
                Console.WriteLine();
                Console.WriteLine($"Alarm raised on {flipped} (its vitrage_operational_state is now {DemoAlarms.OperationalState(graph, flipped)}):");
                DemoAlarms.Write(raised);

                simulator.Nodes.SetReady(flipped, "True");
                Console.WriteLine();
                Console.WriteLine($"Cluster changed: {flipped} is Ready again");
                if ((await scheduler.SnapshotOnceAsync(cancellationToken)).Count > 0)
                {
                    return ExitCodes.DatasourceFailed;
                }

                graph = scheduler.Versions.Current;
                Console.WriteLine($"Snapshot 3: {Describe(graph, flipped)} ({DemoAlarms.OperationalState(graph, flipped)}); its alarm ended: {DemoAlarms.On(graph, flipped).Count} active on it");
                await DemoAlarms.WriteHistoryAsync(scheduler, configuration, raised, cancellationToken);
            }

            Console.WriteLine();
            Console.WriteLine($"Graph written to {graphFile} (Vitrage topology node-link JSON)");
            return ExitCodes.Ok;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static RawConfigValue Value(string section, string key, string value) =>
        new(section, key, value, new ConfigLocation("(demo)", 0));

    private static void WriteSummary(GraphVersion graph)
    {
        WriteCounts(graph);
        Console.WriteLine();
        var cluster = graph.LiveVertices.First(v => v.Type == "kubernetes");
        Console.WriteLine($"Cluster vertex {cluster.Key}: {Property(cluster, "kubernetes_version")}, {Property(cluster, "node_count")} nodes, server {Property(cluster, "server")}");
        Console.WriteLine($"  comprised -> {cluster.OutgoingLiveEdges.Count(e => graph.Find(e.TargetKey)?.Type == "nova.instance")} nova.instance vertices (Vitrage's own graph)");
        Console.WriteLine();
        Console.WriteLine("Some nodes:");
        var rows = graph.LiveVertices.Where(v => v.Type == "kubernetes.node")
            .OrderBy(v => v.Name, StringComparer.Ordinal).Take(6)
            .Select(v => new[]
            {
                v.Name ?? v.Id,
                v.State ?? string.Empty,
                Property(v, "ip"),
                string.Join(",", (Property(v, "roles") is { Length: > 0 } ? ((IEnumerable<string>)v.Properties["roles"]!) : [])),
                v.IncomingLiveEdges.Select(e => graph.Find(e.SourceKey)).Where(s => s?.Type == "nova.instance").Select(s => "nova.instance " + s!.Id).FirstOrDefault() ?? "-",
            }).ToList();
        GraphTableRenderer.WriteColumns(Console.Out, ["NODE", "STATE", "IP", "ROLES", "RUNS ON"], rows);

        // Resource equivalence: the Kubernetes node's VM and the static file's VM are one vertex.
        var node = graph.LiveVertices.FirstOrDefault(v => v.Type == "kubernetes.node" && v.Name == "bcmt-control-01");
        if (node is not null)
        {
            Console.WriteLine();
            Console.WriteLine($"Path from {node.Name} down to the rack (Kubernetes plugin + etc/static_datasources/demo.yaml):");
            var current = node;
            var seen = new HashSet<string>();
            while (seen.Add(current.Key)
                && current.IncomingLiveEdges.FirstOrDefault(e => e.RelationshipType is "contains" or "attached") is { } up
                && graph.Find(up.SourceKey) is { } source)
            {
                Console.WriteLine($"  {source.Type} {source.Name ?? source.Id} --{up.RelationshipType}--> {current.Type} {current.Name ?? current.Id}");
                current = source;
            }
        }
    }

    private static void WriteCounts(GraphVersion graph)
    {
        var live = graph.LiveVertices.ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Graph: {live.Count} vertices, {graph.LiveEdges.Count()} edges ({graph.Vertices.Values.Count(v => v.IsDeleted)} marked deleted)"));
        var rows = GraphSummary.ByTypeAndState(live).ToList();
        var width = rows.Max(r => r.Type.Length);
        foreach (var (type, count, states) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {type.PadRight(width)} {count,5}  ({states})"));
        }
    }

    private static string Describe(GraphVersion graph, string nodeName)
    {
        var vertex = graph.Vertices.Values.Where(v => v.Type == "kubernetes.node" && v.Name == nodeName)
            .OrderBy(v => v.IsDeleted).FirstOrDefault();
        return vertex is null ? $"{nodeName} missing"
            : vertex.IsDeleted ? $"{nodeName} deleted"
            : $"{nodeName} {vertex.State}";
    }

    private static string Property(VertexView vertex, string name) =>
        vertex.Properties.TryGetValue(name, out var value) && value is not null ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;
}
