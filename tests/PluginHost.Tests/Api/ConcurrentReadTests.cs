using PluginHost.Operations;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Api;
using PluginHost.Configuration;
using PluginHost.Contracts;
using PluginHost.Graph;
using PluginHost.Scheduling;

namespace PluginHost.Tests.Api;

/// <summary>
/// 200 clients read the API while snapshots of a changing cluster are applied: every answer must
/// be exactly the graph version it names in X-Graph-Version, never a mix of two.
/// </summary>
public sealed class ConcurrentReadTests
{
    private const int Clients = 200;
    private const int Rounds = 6;

    [Fact]
    public async Task Api_200ClientsWhileSnapshotsApply_EveryAnswerIsOneWholeVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await SimulatedClusterConfig.CreateAsync(nodes: 60);
        var simulator = cluster.Simulator;
        await using var scheduler = DatasourceScheduler.Create(HostConfigurationLoader.Load(ConfigFileSet.Load([cluster.ConfigFile], [])), NullLoggerFactory.Instance, TimeProvider.System);
        var versions = new ConcurrentDictionary<long, GraphVersion>();
        scheduler.Versions.Published += v => versions[v.Number] = v;
        (await scheduler.SnapshotOnceAsync(ct)).ShouldBeEmpty();
        await using var api = await ApiServer.StartAsync(new ApiSettings { Port = 0 }, new HostHealth(scheduler, TimeProvider.System), NullLoggerFactory.Instance, TimeProvider.System, ct);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = api.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Roles", "admin");

        var answered = new StrongBox<int>(0);
        var churning = ChurnAsync(simulator, scheduler, answered, ct);
        var answers = await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => ReadUntilAsync(http, client, churning, answered, ct)));
        await churning;

        var all = answers.SelectMany(a => a).ToList();
        all.ShouldAllBe(a => a.Error == null, string.Join("\n", all.Where(a => a.Error != null).Select(a => a.Error).Distinct().Take(5)));
        all.Select(a => a.Version).Distinct().Count().ShouldBeGreaterThanOrEqualTo(Rounds / 2, "the clients read while versions changed");
        foreach (var answer in all)
        {
            answer.Matches(versions[answer.Version]).ShouldBeTrue($"a {answer.Kind} answer is not version {answer.Version}");
        }
    }

    // Each round: 5 nodes deleted, 5 added, 3 flipped Ready/NotReady; then a snapshot, applied.
    // A round starts once a quarter of the clients' reads came since the last one (bounded): on a
    // loaded machine the rounds once all ended before the first answer, and every client read
    // the last version only.
    private static async Task ChurnAsync(KubeApiSimulator.KubeApiSimulator simulator, DatasourceScheduler scheduler, StrongBox<int> answered, CancellationToken ct)
    {
        await Task.Yield();
        var seen = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref answered.Value) < seen + Clients / 4 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, ct);
            }

            seen = Volatile.Read(ref answered.Value);
            foreach (var name in simulator.Nodes.Names.Take(5).ToList())
            {
                simulator.Nodes.Delete(name);
            }

            simulator.AddGeneratedNodes(5);
            foreach (var name in simulator.Nodes.Names.Skip(round * 3).Take(3).ToList())
            {
                simulator.Nodes.SetReady(name, round % 2 == 0 ? "False" : "True");
            }

            (await scheduler.Runners[0].RunSnapshotAsync(DatasourceAction.Snapshot, ct)).ShouldBeTrue();
            await scheduler.DrainAsync(ct);
        }
    }

    private static async Task<List<Answer>> ReadUntilAsync(HttpClient http, int client, Task churning, StrongBox<int> answered, CancellationToken ct)
    {
        var answers = new List<Answer>();
        for (var i = 0; !churning.IsCompleted || i < 2; i++, Interlocked.Increment(ref answered.Value))
        {
            var topology = (client + i) % 2 == 0;
            try
            {
                using var response = topology
                    ? await http.PostAsJsonAsync("v1/topology/", new { all_tenants = true }, ct)
                    : await http.PostAsJsonAsync("v1/resources/", new { all_tenants = true }, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    answers.Add(Answer.Failed($"HTTP {(int)response.StatusCode}: {body}"));
                    continue;
                }

                var version = long.Parse(response.Headers.GetValues(ApiResponses.GraphVersionHeader).Single(), System.Globalization.CultureInfo.InvariantCulture);
                using var json = JsonDocument.Parse(body);
                answers.Add(topology ? Answer.Topology(version, json.RootElement) : Answer.Resources(version, json.RootElement));
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                answers.Add(Answer.Failed(e.Message));
            }
        }

        return answers;
    }

    /// <summary>What one answer held: vitrage_ids of its nodes, and for a topology its links by vitrage_id.</summary>
    private sealed record Answer(string Kind, long Version, string[] Nodes, string[] Links, string? Error)
    {
        public static Answer Failed(string error) => new("failed", 0, [], [], error);

        public static Answer Topology(long version, JsonElement graph)
        {
            var nodes = graph.GetProperty("nodes").EnumerateArray().ToList();
            for (var i = 0; i < nodes.Count; i++)
            {
                nodes[i].GetProperty("graph_index").GetInt32().ShouldBe(i);
            }

            var ids = nodes.Select(n => n.GetProperty("vitrage_id").GetString()!).ToArray();
            var links = graph.GetProperty("links").EnumerateArray()
                .Select(l => $"{ids[l.GetProperty("source").GetInt32()]} {l.GetProperty("relationship_type").GetString()} {ids[l.GetProperty("target").GetInt32()]}")
                .Order(StringComparer.Ordinal).ToArray();
            return new Answer("topology", version, ids.Order(StringComparer.Ordinal).ToArray(), links, null);
        }

        public static Answer Resources(long version, JsonElement list) =>
            new("resource list", version, list.EnumerateArray().Select(r => r.GetProperty("vitrage_id").GetString()!).Order(StringComparer.Ordinal).ToArray(), [], null);

        /// <summary>Computed from the version directly: its live, real vertices (resources only for a resource list) and the live edges among them.</summary>
        public bool Matches(GraphVersion graph)
        {
            var vertices = graph.Vertices.Values
                .Where(v => !v.IsDeleted && !v.IsPlaceholder && (Kind == "topology" || v.Category == EntityCategories.Resource))
                .ToDictionary(v => v.Key, StringComparer.Ordinal);
            var links = Kind != "topology" ? [] : vertices.Values
                .SelectMany(v => v.OutgoingLiveEdges.Where(e => vertices.ContainsKey(e.TargetKey))
                    .Select(e => $"{v.VitrageId} {e.RelationshipType} {vertices[e.TargetKey].VitrageId}"))
                .Order(StringComparer.Ordinal).ToArray();
            return Nodes.SequenceEqual(vertices.Values.Select(v => v.VitrageId).Order(StringComparer.Ordinal)) && Links.SequenceEqual(links);
        }
    }
}
