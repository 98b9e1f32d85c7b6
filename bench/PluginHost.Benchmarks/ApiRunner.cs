using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PluginHost.Benchmarks;

/// <summary>
/// The REST API of a real <c>pluginhost run</c> process (its own process; the simulator stays in
/// this one) on a simulated OpenStack cluster: for each request the client's time to the last
/// byte and the server's own time (its debug log line, from the request's start until the last
/// byte is handed to the connection), median and spread over interleaved runs, beside the HTTP
/// floor (<c>GET /v1/status/</c>) of the same run; and the process's resident memory while serving
/// against the same process holding the same graph idle.
/// </summary>
internal static class ApiRunner
{
    private const int ConcurrentClients = 10;

    public static async Task<int> RunAsync(ScaleOptions options)
    {
        var nodes = options.SingleNodeCount(5000);
        var loadBefore = LoadAverage.Now();
        var runs = options.Runs == 5 ? 20 : options.Runs;
        var binary = HostBinary.From(options.HostFolder);
        await using var cluster = await BenchmarkCluster.StartAsync(nodes, options.PageSize, pluginFolder: binary.PluginFolder);
        await cluster.AddConfigAsync("[api]\nport = 0");
        await cluster.UseLogLevelAsync("debug");
        if (options.DuringSnapshots)
        {
            // The shortest interval there is: the requests below meet snapshots being read and applied.
            var config = await File.ReadAllTextAsync(cluster.ConfigFile);
            await File.WriteAllTextAsync(cluster.ConfigFile, config.Replace("[datasources]\n", "[datasources]\nsnapshots_interval = 10\n", StringComparison.Ordinal));
        }

        await using var host = await HostProcess.StartAsync(cluster.ConfigFile, binary);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = ConcurrentClients }) { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Roles", "admin");
        http.DefaultRequestHeaders.Add("X-Project-Id", "admin");
        await ApiCalls.WaitForNodesAsync(http, nodes);

        var resources = await ApiCalls.ReadJsonAsync(http, ApiCalls.Post("v1/resources/", new { all_tenants = true, resource_type = "kubernetes.node" }));
        var someNode = resources.EnumerateArray().ElementAt(nodes / 2);
        var cluster0 = (await ApiCalls.ReadJsonAsync(http, ApiCalls.Post("v1/resources/", new { all_tenants = true, resource_type = "kubernetes" }))).EnumerateArray().Single();
        var requests = new (string Name, string Budget, Func<HttpRequestMessage> Create)[]
        {
            ("status (HTTP floor)", "", () => new HttpRequestMessage(HttpMethod.Get, "v1/status/")),
            ("topology show --all-tenants", "300 ms", () => ApiCalls.Post("v1/topology/", new { graph_type = "graph", all_tenants = true })),
            ("resource show <node>", "5 ms", () => new HttpRequestMessage(HttpMethod.Get, $"v1/resources/{someNode.GetProperty("vitrage_id").GetString()}")),
            ("resource list --type kubernetes.node --filter state NotReady", "50 ms",
                () => ApiCalls.Post("v1/resources/", new { all_tenants = true, resource_type = "kubernetes.node", query = """{"==": {"state": "NotReady"}}""" })),
            ("resource list --filter name ==", "50 ms",
                () => ApiCalls.Post("v1/resources/", new { all_tenants = true, query = JsonSerializer.Serialize(new Dictionary<string, object> { ["=="] = new { name = someNode.GetProperty("name").GetString() } }) })),
            ("resource list --type kubernetes.node (all of them)", "", () => ApiCalls.Post("v1/resources/", new { all_tenants = true, resource_type = "kubernetes.node" })),
            ("topology show --graph-type tree --root <cluster>", "", () => ApiCalls.Post("v1/topology/", new { graph_type = "tree", root = cluster0.GetProperty("vitrage_id").GetString(), all_tenants = true })),
            ("resource count --all-tenants", "", () => ApiCalls.Post("v1/resources/count/", new { all_tenants = true, group_by = "vitrage_type" })),
        };

        // The same process holding the same graph, idle: the baseline for memory.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idleRss = host.ResidentMiB();
        host.ResetPeak();

        foreach (var request in requests)
        {
            await TimeAsync(http, request.Create); // warm-up: JIT, connection, first-request caches
        }

        await Task.Delay(1000); // the warm-up's log lines are out
        var clientMs = requests.ToDictionary(r => r.Name, _ => new List<double>());
        var bytes = new Dictionary<string, long>();
        var serverLinesBefore = host.ServerTimes().Count;
        for (var run = 0; run < runs; run++)
        {
            foreach (var request in requests)
            {
                var (ms, length) = await TimeAsync(http, request.Create);
                clientMs[request.Name].Add(ms);
                bytes[request.Name] = length;
                await Task.Delay(20); // lets the server's log line out before the next request
            }
        }

        await Task.Delay(1000);
        var sequentialPeak = host.PeakMiB();
        var serverMs = PairServerTimes(host.ServerTimes().Skip(serverLinesBefore).ToList(), requests.Length, runs);

        host.ResetPeak();
        var concurrentClock = Stopwatch.StartNew();
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, ConcurrentClients).Select(_ => TimeAsync(http, requests[1].Create)));
        }

        var concurrentSeconds = concurrentClock.Elapsed.TotalSeconds / 3;
        var concurrentPeak = host.PeakMiB();

        var floor = Statistics.Median(clientMs[requests[0].Name]);
        var loadAfter = LoadAverage.Now();
        var table = new StringBuilder();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{nodes:N0} nodes, {runs} interleaved runs after one warm-up, {binary.Description}{(options.DuringSnapshots ? ", a snapshot every 10 s" : "")}; times in ms: median (min–max); load average {loadBefore:F1} before, {loadAfter:F1} after"));
        table.AppendLine();
        table.AppendLine("| request | answer | server time | client time (last byte) | × HTTP floor | budget |");
        table.AppendLine("|---|---:|---:|---:|---:|---:|");
        for (var i = 0; i < requests.Length; i++)
        {
            var (name, budget, _) = requests[i];
            var client = clientMs[name];
            var server = serverMs[i];
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Size(bytes[name])} | {Statistics.Median(server):F1} ({server.Min():F1}–{server.Max():F1}) | {Statistics.Median(client):F1} ({client.Min():F1}–{client.Max():F1}) | {Statistics.Median(client) / floor:F1}× | {budget} |"));
        }

        table.AppendLine();
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| host process resident memory | MiB |"));
        table.AppendLine("|---|---:|");
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| idle, graph of {nodes:N0} nodes held (baseline) | {idleRss:F0} |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| peak while serving the requests above one at a time | {sequentialPeak:F0} (+{sequentialPeak - idleRss:F1}) |"));
        table.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| peak while {ConcurrentClients} clients each read the whole topology at once ({concurrentSeconds:F2} s a round) | {concurrentPeak:F0} (+{concurrentPeak - idleRss:F1}) |"));
        Console.WriteLine(table);
        return 0;
    }

    // The whole answer is read, into nothing: the client adds as little as it can.
    private static async Task<(double Milliseconds, long Bytes)> TimeAsync(HttpClient http, Func<HttpRequestMessage> create)
    {
        using var request = create();
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var counter = new CountingStream();
        await response.Content.CopyToAsync(counter);
        return (clock.Elapsed.TotalMilliseconds, counter.Length);
    }

    // Lines come in request order (one request at a time), so the i-th line of each run is request i.
    private static List<double>[] PairServerTimes(List<double> lines, int perRun, int runs)
    {
        if (lines.Count != perRun * runs)
        {
            throw new InvalidOperationException($"expected {perRun * runs} server log lines, got {lines.Count}");
        }

        return Enumerable.Range(0, perRun).Select(i => Enumerable.Range(0, runs).Select(run => lines[(run * perRun) + i]).ToList()).ToArray();
    }

    private static string Size(long bytes) => bytes >= 1 << 20
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F1} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB");
}
