using System.Text;
using Microsoft.Extensions.Time.Testing;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

/// <summary>
/// A randomized differential test of the graph core: seeded sequences of datasource events go through
/// the graph the way the processor drives it (<see cref="EntityGraph.TryRefresh"/>, then
/// <see cref="EntityGraph.Apply"/> when the version is not held; a complete snapshot's end marks the
/// outdated deleted and purges; a failed one does nothing), and every published version is compared
/// with a plain model that applies the rules naively: no version shortcuts, no arrays of edges, no
/// shared views, no index kept up to date. A refresh must leave the graph exactly as the full update
/// of the same event would (an event's version names its content), and an earlier version must
/// never change, but for the sample time a refresh moves forward in place (GraphVersionTests).
/// </summary>
public sealed class GraphDifferentialTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Datasources = ["k8s", "nova", "static"];

    // Each datasource's own type; "host" no transformer owns, so two datasources report it as theirs.
    private static readonly Dictionary<string, string> OwnType = new() { ["k8s"] = "node", ["nova"] = "vm", ["static"] = "switch" };

    // What each datasource only links (a reference): types another plugin owns. A datasource never
    // refers to a type it reports itself (TransformerRegistry.IsForeign), so one (datasource,
    // vertex) is never both the owner of a vertex's own edges and a reference's.
    private static readonly Dictionary<string, string[]> ReferencedTypes = new()
    {
        ["k8s"] = ["vm", "switch"],
        ["nova"] = ["node", "switch", "cluster"],
        ["static"] = ["node", "vm", "cluster"],
    };

    private static readonly string[] Labels = [EdgeLabels.Contains, EdgeLabels.Attached, EdgeLabels.On, EdgeLabels.Comprised];

    public static TheoryData<int, bool> Seeds()
    {
        var data = new TheoryData<int, bool>();
        for (var seed = 1; seed <= 50; seed++)
        {
            data.Add(seed, seed % 2 == 0); // lookups made when published (run) and when first read (snapshot)
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomSteps_EveryPublishedVersion_EqualsTheModel(int seed, bool lookupsWhenRead)
    {
        // Fewer ids: more collisions (shared neighbors, purged and reported again); more: more vertices.
        var run = new Run(seed, lookupsWhenRead, ids: 3 + (seed % 5), clusters: 1 + (seed % 2));
        for (var step = 0; step < 500; step++)
        {
            run.RandomStep();
        }

        run.PublishAndCheck();
        run.CheckEarlierVersions(all: true);
    }

    public static TheoryData<int, bool> LargeSeeds => new() { { 101, false }, { 102, true } };

    // Above Subgraph.ParallelFrom live vertices and NextGraphVersion.ParallelFrom changes, so the
    // parallel freeze, maps, sort and links run, then random steps on top of the large graph.
    [Theory]
    [MemberData(nameof(LargeSeeds))]
    public void LargeGraph_SnapshotsAndRandomSteps_EqualTheModel(int seed, bool lookupsWhenRead)
    {
        const int nodes = 9_000;
        var run = new Run(seed, lookupsWhenRead, ids: 6, clusters: 2);
        run.LargeSnapshot(nodes, changedEvery: 0, droppedEvery: 0);
        run.PublishAndCheck();
        run.LargeSnapshot(nodes, changedEvery: 7, droppedEvery: 0); // a steady snapshot: refreshed in place
        run.PublishAndCheck();
        run.LargeSnapshot(nodes, changedEvery: 5, droppedEvery: 3); // a third of the nodes deleted
        run.PublishAndCheck();
        // A few random steps (a sixth of them compare all 18,000 vertices: ~0.8 s each); the many
        // small seeds above cover the steps themselves.
        for (var step = 0; step < 30; step++)
        {
            run.RandomStep();
        }

        run.Advance(3_600);
        run.LargeSnapshot(nodes, changedEvery: 0, droppedEvery: 2); // the deleted third purged
        run.PublishAndCheck();
        run.CheckEarlierVersions(all: true);
    }

    public static TheoryData<string> NeighborDeletions => new() { "by its datasource's delete", "by its datasource's complete snapshot" };

    // Found by the random steps (29 of the 50 seeds on main at b885b51). A node links a VM that
    // was deleted: the edge is live, the VM stays deleted. When the VM is purged, its edges go with
    // it, but the node keeps its version, so the node's next event, unchanged, is only refreshed and
    // the VM it reports is never in the graph again (no placeholder, no edge) until the node's
    // version changes; the full update of the same event makes the placeholder and the edge
    // (DESIGN.md §3: a neighbor not in the graph becomes a placeholder).
    [Theory]
    [MemberData(nameof(NeighborDeletions))]
    public void TryRefresh_AfterThePurgeOfADeletedNeighborItLinks_GivesWhatTheFullUpdateGives(string deletion)
    {
        var g = new GraphScenario();
        g.Report("nova", KnownEntityTypes.NovaInstance, "vm1", 0);
        if (deletion == "by its datasource's delete")
        {
            g.Report("nova", KnownEntityTypes.NovaInstance, "vm1", 10, action: GraphAction.Delete);
        }
        else
        {
            g.CompleteSnapshot("nova", 10);
        }

        g.Report("k8s", "kubernetes.node", "n1", 20, neighbors: [GraphScenario.Instance("vm1")], version: "7");
        g.Time.SetUtcNow(GraphScenario.At(100));
        g.Graph.Purge(TimeSpan.FromSeconds(60)).ShouldBe(1, deletion);

        // What the processor does with the node's next event, at the version the graph holds.
        if (!g.Refresh("k8s", "kubernetes.node", "n1", "7", 110))
        {
            g.Report("k8s", "kubernetes.node", "n1", 110, neighbors: [GraphScenario.Instance("vm1")], version: "7");
        }

        var version = g.Graph.Publish();
        var vm = version.Find(EntityVertex.BuildKey(EntityCategories.Resource, KnownEntityTypes.NovaInstance, "vm1")).ShouldNotBeNull(deletion);
        vm.IsPlaceholder.ShouldBeTrue(deletion);
        vm.IsDeleted.ShouldBeFalse(deletion);
        version.LiveEdges.Select(e => $"{e.SourceKey} {e.RelationshipType} {e.TargetKey}")
            .ShouldBe([$"{vm.Key} {EdgeLabels.Contains} {EntityVertex.BuildKey(EntityCategories.Resource, "kubernetes.node", "n1")}"], deletion);
    }

    /// <summary>One seeded run: the real graph, the model, and what each published version showed.</summary>
    private sealed class Run
    {
        private static readonly TimeSpan Retention = TimeSpan.FromSeconds(30);

        private readonly Random _random;
        private readonly FakeTimeProvider _time = new(Start);
        private readonly EntityGraph _graph;
        private readonly Model _model;
        private readonly int _ids;
        private readonly int _clusters;
        private readonly bool _lookupsWhenRead;
        private readonly Dictionary<string, DateTimeOffset> _openSnapshots = new(StringComparer.Ordinal);
        private readonly List<Published> _published = [];
        private readonly HashSet<string> _everSeen = new(StringComparer.Ordinal);
        private readonly List<string> _log = [];
        private readonly int _seed;

        public Run(int seed, bool lookupsWhenRead, int ids, int clusters)
        {
            _seed = seed;
            _random = new Random(seed);
            _lookupsWhenRead = lookupsWhenRead;
            _graph = new EntityGraph(_time, lookupsWhenRead: lookupsWhenRead);
            _model = new Model(_time);
            _ids = ids;
            _clusters = clusters;
        }

        private DateTimeOffset Now => _time.GetUtcNow();

        public void Advance(int seconds) => _time.Advance(TimeSpan.FromSeconds(seconds));

        public void RandomStep()
        {
            Advance(_random.Next(0, 4));
            var roll = _random.Next(100);
            var ds = Datasources[_random.Next(Datasources.Length)];
            switch (roll)
            {
                case < 30:
                    Event(ds, PickReported(ds), _random.Next(4).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case < 38:
                    Event(ds, PickReported(ds), version: null);
                    break;
                case < 44:
                    Event("k8s", Key("cluster", _random.Next(_clusters)), _random.Next(3).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case < 50:
                    Delete(ds, PickReported(ds), reference: false);
                    break;
                case < 60:
                    Reference(ds, PickReferenced(ds), RandomNeighbors(_random.Next(0, 3)));
                    break;
                case < 63:
                    Delete(ds, PickReferenced(ds), reference: true);
                    break;
                case < 72:
                    StartSnapshot(ds);
                    break;
                case < 80:
                    EndSnapshot(ds, complete: _random.Next(10) < 7);
                    break;
                case < 83:
                    Advance(_random.Next(10, 40)); // past the retention, for the next purge
                    break;
                default:
                    PublishAndCheck();
                    if (_random.Next(8) == 0)
                    {
                        CheckEarlierVersions(all: false);
                    }

                    break;
            }
        }

        // A snapshot of `nodes` nodes under the clusters, each with its VM, at versions that change
        // for every `changedEvery`-th node (0: none) and without every `droppedEvery`-th (0: none).
        public void LargeSnapshot(int nodes, int changedEvery, int droppedEvery)
        {
            StartSnapshot("k8s");
            var round = _published.Count;
            for (var i = 0; i < nodes; i++)
            {
                if (droppedEvery > 0 && i % droppedEvery == 0)
                {
                    continue;
                }

                var version = changedEvery > 0 && i % changedEvery == 0 ? "r" + round : "r0";
                var key = Key("node", 1_000 + i);
                var neighbors = new[] { new Neighbor(Key("vm", 1_000 + i), EdgeLabels.Contains, EdgeDirection.ToVertex) };
                var content = new Content("node-" + i, version == "r0" ? "Ready" : "NotReady", neighbors);
                EventWith("k8s", key, version, content, Now);
            }

            EndSnapshot("k8s", complete: true);
        }

        private string PickReported(string ds) =>
            Key(ds != "static" && _random.Next(8) == 0 ? "host" : OwnType[ds], _random.Next(_ids));

        private string PickReferenced(string ds)
        {
            var type = ReferencedTypes[ds][_random.Next(ReferencedTypes[ds].Length)];
            return Key(type, _random.Next(type == "cluster" ? _clusters : _ids));
        }

        private string PickAny() => _random.Next(7) switch
        {
            0 => Key("cluster", _random.Next(_clusters)),
            6 => Key("host", _random.Next(_ids)),
            1 => Key("switch", _random.Next(_ids)),
            2 => Key("vm", _random.Next(_ids)),
            _ => Key("node", _random.Next(_ids)),
        };

        private Neighbor[] RandomNeighbors(int count)
        {
            var neighbors = new Neighbor[count];
            for (var i = 0; i < count; i++)
            {
                neighbors[i] = new Neighbor(PickAny(), Labels[_random.Next(Labels.Length)],
                    _random.Next(2) == 0 ? EdgeDirection.FromVertex : EdgeDirection.ToVertex);
            }

            return neighbors;
        }

        // The event of a versioned entity: its content is a function of (datasource, key, version),
        // as the datasource promises (same version, same entity). Clusters list many nodes (more
        // than VertexEdges keeps in its array).
        private Content ContentOf(string ds, string key, string? version)
        {
            var random = version is null ? _random : new Random(StableHash(ds + "|" + key + "|" + version));
            var cluster = key.Contains(":cluster:", StringComparison.Ordinal);
            var neighbors = new List<Neighbor>();
            var count = cluster ? random.Next(0, 14) : random.Next(0, 4);
            for (var i = 0; i < count; i++)
            {
                var other = cluster ? Key("node", random.Next(Math.Max(_ids, 14))) : random.Next(6) switch
                {
                    0 => Key("cluster", random.Next(_clusters)),
                    1 => Key("switch", random.Next(_ids)),
                    2 => Key("node", random.Next(_ids)),
                    3 => random.Next(2) == 0 ? key : Key("host", random.Next(_ids)), // to itself, or to a shared vertex
                    _ => Key("vm", random.Next(_ids)),
                };
                neighbors.Add(new Neighbor(other, Labels[random.Next(Labels.Length)], random.Next(2) == 0 ? EdgeDirection.FromVertex : EdgeDirection.ToVertex));
            }

            var states = new[] { "Ready", "NotReady", null };
            return new Content("n" + random.Next(3), states[random.Next(states.Length)], [.. neighbors]);
        }

        // Sample times: mostly now, some a little older (an older sample must never win).
        private DateTimeOffset SampleTime() => _random.Next(8) == 0 ? Now.AddSeconds(-_random.Next(1, 6)) : Now;

        private void Event(string ds, string key, string? version) => EventWith(ds, key, version, ContentOf(ds, key, version), SampleTime());

        private void EventWith(string ds, string key, string? version, Content content, DateTimeOffset sample)
        {
            _log.Add($"{Now:mm:ss} event {ds} {key} v={version ?? "-"} at {sample:mm:ss} {content}");
            _everSeen.Add(key);
            foreach (var neighbor in content.Neighbors)
            {
                _everSeen.Add(neighbor.Key);
            }

            // What GraphProcessor.ApplyEventAsync does with an event that carries a version.
            var refreshed = version is not null && _graph.TryRefresh(key, version, ds, sample);
            var applied = refreshed || _graph.Apply(Update(key, content, GraphAction.Create), ds, sample, version: version);
            var expected = _model.Apply(ds, key, content, GraphAction.Create, sample, version);
            if (applied != expected)
            {
                throw new ShouldAssertException(Context($"Apply gave {applied}, the model {expected}"));
            }
        }

        private void Delete(string ds, string key, bool reference)
        {
            var sample = SampleTime();
            _log.Add($"{Now:mm:ss} delete{(reference ? " (reference)" : string.Empty)} {ds} {key} at {sample:mm:ss}");
            _everSeen.Add(key);
            var content = new Content("gone", null, []);
            if (reference)
            {
                _graph.Apply(Update(key, content, GraphAction.Delete), ds, sample, reference: true);
                _model.Reference(ds, key, content, GraphAction.Delete, sample);
                return;
            }

            _graph.Apply(Update(key, content, GraphAction.Delete), ds, sample)
                .ShouldBe(_model.Apply(ds, key, content, GraphAction.Delete, sample, version: null), Context("Apply's result"));
        }

        private void Reference(string ds, string key, Neighbor[] neighbors)
        {
            var sample = SampleTime();
            var content = new Content("from-" + ds, null, neighbors);
            _log.Add($"{Now:mm:ss} reference {ds} {key} at {sample:mm:ss} {content}");
            _everSeen.Add(key);
            foreach (var neighbor in neighbors)
            {
                _everSeen.Add(neighbor.Key);
            }

            _graph.Apply(Update(key, content, GraphAction.Update), ds, sample, reference: true);
            _model.Reference(ds, key, content, GraphAction.Update, sample);
        }

        private void StartSnapshot(string ds)
        {
            if (_openSnapshots.ContainsKey(ds))
            {
                return;
            }

            _log.Add($"{Now:mm:ss} snapshot of {ds} starts");
            _openSnapshots[ds] = Now;
        }

        // A complete snapshot's end deletes what it did not report and purges (GraphProcessor.EndSnapshotAsync);
        // one that failed part-way does nothing.
        private void EndSnapshot(string ds, bool complete)
        {
            if (!_openSnapshots.Remove(ds, out var started))
            {
                return;
            }

            _log.Add($"{Now:mm:ss} snapshot of {ds} started {started:mm:ss} ends {(complete ? "complete" : "FAILED")}");
            if (!complete)
            {
                return;
            }

            _graph.MarkOutdatedDeleted(ds, started).ShouldBe(_model.MarkOutdatedDeleted(ds, started), Context("deleted count"));
            _graph.Purge(Retention).ShouldBe(_model.Purge(Retention), Context("purged count"));
        }

        private static EntityUpdate Update(string key, Content content, GraphAction action)
        {
            var (type, id) = Split(key);
            return new EntityUpdate(new EntityVertex(type, id) { Name = content.Name, State = content.State },
                [.. content.Neighbors.Select(n => new EntityNeighbor(new EntityVertex(Split(n.Key).Type, Split(n.Key).Id) { Name = "ph-" + Split(n.Key).Id }, n.Label, n.Direction))],
                action);
        }

        public void PublishAndCheck()
        {
            var version = _graph.Publish();
            _log.Add($"{Now:mm:ss} published {version.Number}");
            var expected = _model.Render(withSampleTimes: false);
            var context = Context($"version {version.Number}");
            Diff(Render(version, withSampleTimes: false), expected, context);
            Diff(Render(version, withSampleTimes: true), _model.Render(withSampleTimes: true), context);
            CheckViews(version, context);
            CheckLiveEdgesAndSubgraphs(version, context);

            // A lazy version's lookups are read now for half the versions, for the others only at the end.
            var expectedIds = _model.IdsRender(_everSeen);
            var expectedIndex = _model.IndexRender();
            if (!_lookupsWhenRead || _random.Next(2) == 0)
            {
                Diff(IdsRender(version, _everSeen), expectedIds, context + " (lookup by vitrage_id)");
                Diff(IndexRender(version), expectedIndex, context + " (resource index)");
            }

            if (_published.Count == 0 || !ReferenceEquals(_published[^1].Version, version))
            {
                _published.Add(new Published(version, expected, SampleTimes(version), expectedIds, expectedIndex, [.. _everSeen]));
            }
        }

        // Earlier versions: everything as it was when published, but sample times, which only move forward.
        public void CheckEarlierVersions(bool all)
        {
            foreach (var published in all ? _published : _published.TakeLast(5))
            {
                var context = Context($"earlier version {published.Version.Number}");
                Diff(Render(published.Version, withSampleTimes: false), published.Render, context);
                foreach (var (key, then) in published.SampleTimes)
                {
                    (published.Version.Find(key)!.SampleTimestamp >= then).ShouldBeTrue($"{context}: {key}'s sample time moved back");
                }

                if (all)
                {
                    Diff(IdsRender(published.Version, published.Seen), published.Ids, context + " (lookup by vitrage_id)");
                    Diff(IndexRender(published.Version), published.Index, context + " (resource index)");
                }
            }
        }

        // Each edge's view is the one both ends list (4b6d26b), each vertex lists an edge once,
        // and each view is the one the graph holds as published.
        private void CheckViews(GraphVersion version, string context)
        {
            foreach (var vertex in version.Vertices.Values)
            {
                vertex.Edges.Select(e => (e.SourceKey, e.TargetKey, e.RelationshipType)).Distinct().Count().ShouldBe(vertex.Edges.Count, $"{context}: {vertex.Key} lists an edge twice");
                _graph.Find(vertex.Key)!.Published.ShouldBeSameAs(vertex, $"{context}: {vertex.Key}'s Published");
                foreach (var edge in vertex.Edges)
                {
                    var other = version.Find(edge.OtherKey(vertex.Key)).ShouldNotBeNull($"{context}: {vertex.Key}'s edge to a vertex the version lacks");
                    other.Edges.Any(e => ReferenceEquals(e, edge)).ShouldBeTrue($"{context}: {edge} is not the view both ends share");
                }
            }
        }

        private void CheckLiveEdgesAndSubgraphs(GraphVersion version, string context)
        {
            version.LiveEdges.Select(e => $"{e.SourceKey} {e.RelationshipType} {e.TargetKey}").Order(StringComparer.Ordinal)
                .ShouldBe(_model.LiveEdges(_ => true).Order(StringComparer.Ordinal), context + " (live edges)");

            var all = Subgraph.AllLive(version);
            Links(all).ShouldBe(_model.SubgraphLinks(_ => true), context + " (all live)");
            all.Nodes.Select(n => n.Key).ShouldBe(_model.LiveKeys(_ => true), context + " (all live nodes)");

            // A filtered selection: the live nodes and clusters only.
            bool Picked(string key) => key.Contains(":node:", StringComparison.Ordinal) || key.Contains(":cluster:", StringComparison.Ordinal);
            var some = Subgraph.Of(version.LiveVertices.Where(v => Picked(v.Key)));
            Links(some).ShouldBe(_model.SubgraphLinks(Picked), context + " (nodes and clusters)");
        }

        private static string[] Links(Subgraph graph) =>
            [.. graph.Links.Select(l => $"{graph.Nodes[l.Source].Key} {l.Edge.RelationshipType} {graph.Nodes[l.Target].Key}")];

        private static Dictionary<string, DateTimeOffset> SampleTimes(GraphVersion version) =>
            version.Vertices.Values.ToDictionary(v => v.Key, v => v.SampleTimestamp, StringComparer.Ordinal);

        private string Context(string what)
        {
            var tail = string.Join("\n  ", _log.TakeLast(40));
            return $"seed {_seed}, lookups when read {_lookupsWhenRead}, {what}; last steps:\n  {tail}";
        }

        private static void Diff(string actual, string expected, string context)
        {
            if (string.Equals(actual, expected, StringComparison.Ordinal))
            {
                return;
            }

            var a = actual.Split('\n');
            var e = expected.Split('\n');
            var onlyActual = a.Except(e).Take(8);
            var onlyExpected = e.Except(a).Take(8);
            throw new ShouldAssertException($"{context}\n graph only:\n  {string.Join("\n  ", onlyActual)}\n model only:\n  {string.Join("\n  ", onlyExpected)}");
        }
    }

    private sealed record Published(
        GraphVersion Version, string Render, Dictionary<string, DateTimeOffset> SampleTimes, string Ids, string Index, string[] Seen);

    private readonly record struct Neighbor(string Key, string Label, EdgeDirection Direction);

    private sealed record Content(string Name, string? State, Neighbor[] Neighbors)
    {
        public override string ToString() =>
            $"{Name}/{State ?? "-"} [{string.Join(", ", Neighbors.Select(n => $"{(n.Direction == EdgeDirection.FromVertex ? "->" : "<-")}{n.Key}:{n.Label}"))}]";
    }

    private static string Key(string type, int id) => EntityVertex.BuildKey(EntityCategories.Resource, type, "i" + id);

    private static (string Type, string Id) Split(string key)
    {
        var parts = key.Split(':');
        return (parts[1], parts[2]);
    }

    // string.GetHashCode differs per process: a seed must give the same run everywhere.
    private static int StableHash(string text)
    {
        var hash = 2_166_136_261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16_777_619u;
        }

        return (int)(hash & 0x7FFF_FFFF);
    }

    private static string Render(GraphVersion version, bool withSampleTimes)
    {
        var text = new StringBuilder();
        foreach (var v in version.Vertices.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            text.Append(VertexLine(v.Key, v.VitrageId, v.Category, v.Type, v.Id, v.Name, v.State, v.IsDeleted, v.IsPlaceholder, v.DatasourceName,
                v.UpdateTimestamp, withSampleTimes ? v.SampleTimestamp : null));
            foreach (var e in v.Edges.Select(e => EdgeText(e.SourceKey, e.TargetKey, e.RelationshipType, e.IsDeleted, e.UpdateTimestamp)).Order(StringComparer.Ordinal))
            {
                text.Append("\n    ").Append(e);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    // A live real vertex's update_timestamp is left out: it moves when the graph forgot the
    // vertex's version (ForgetOwnersVersion) and the same event is applied in full, which the
    // model does not follow; placeholders' and deleted vertices' (what the purge reads) are kept.
    private static string VertexLine(string key, string vitrageId, string category, string type, string id, string? name, string? state,
        bool deleted, bool placeholder, string? datasource, DateTimeOffset updated, DateTimeOffset? sampled)
    {
        var update = !deleted && !placeholder ? "-" : updated.ToString("mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var sample = sampled is { } s ? " sample=" + s.ToString("mm:ss", System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return $"{key} id={vitrageId} {category}/{type}/{id} name={name ?? "-"} state={state ?? "-"} deleted={deleted} placeholder={placeholder} ds={datasource ?? "-"} updated={update}{sample}";
    }

    private static string EdgeText(string source, string target, string label, bool deleted, DateTimeOffset updated) =>
        $"{source} {label} {target} deleted={deleted} updated={updated.ToString("mm:ss", System.Globalization.CultureInfo.InvariantCulture)}";

    private static string IdsRender(GraphVersion version, IEnumerable<string> keys)
    {
        var text = new StringBuilder();
        text.Append("count=").Append(version.KeysByVitrageId.Count).Append('\n');
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            text.Append(key).Append(" -> ").Append(version.FindByVitrageId(VitrageIdGenerator.FromKey(key))?.Key ?? "none").Append('\n');
        }

        return text.ToString();
    }

    private static string IndexRender(GraphVersion version) =>
        string.Join("\n", Enum.GetValues<ResourceIndexField>()
            .SelectMany(field => version.Resources.Values(field).Select(value => $"{field}={value}: {string.Join(",", version.Resources.Keys(field, value))}"))
            .Order(StringComparer.Ordinal));

    /// <summary>
    /// The graph's rules applied naively: every vertex and edge in a dictionary, each vertex's
    /// edges found through a set of keys, nothing shared or kept up to date for readers.
    /// </summary>
    private sealed class Model(TimeProvider time)
    {
        private readonly Dictionary<string, MVertex> _vertices = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Source, string Target, string Label), MEdge> _edges = [];
        private readonly Dictionary<string, HashSet<(string Source, string Target, string Label)>> _ends = new(StringComparer.Ordinal);

        private DateTimeOffset Now => time.GetUtcNow();

        public bool Apply(string ds, string key, Content content, GraphAction action, DateTimeOffset sample, string? version)
        {
            _vertices.TryGetValue(key, out var existing);
            if (existing is not null && !existing.Placeholder && existing.Sample > sample)
            {
                return false; // an older sample never overwrites a newer one
            }

            if (action == GraphAction.Delete)
            {
                if (existing is not null)
                {
                    existing.Sample = sample;
                    MarkDeleted(existing);
                }

                return true;
            }

            var vertex = existing ?? Add(key);
            var unchanged = version is not null && vertex.Version == version && !vertex.Placeholder && !vertex.Deleted && vertex.Datasource == ds;
            if (!unchanged)
            {
                vertex.Placeholder = false;
                vertex.Deleted = false;
                vertex.Datasource = ds;
                vertex.Name = content.Name;
                vertex.State = content.State;
                vertex.Updated = Now;
                vertex.Version = version;
            }

            vertex.Sample = sample;
            UpdateNeighbors(vertex, (ds, key), content.Neighbors, sample);
            return true;
        }

        public void Reference(string ds, string key, Content content, GraphAction action, DateTimeOffset sample)
        {
            _vertices.TryGetValue(key, out var existing);
            if (existing is null && action == GraphAction.Delete)
            {
                return;
            }

            var vertex = existing ?? Placeholder(key, content.Name, content.State, sample);
            if (vertex.Placeholder && vertex.Deleted && action != GraphAction.Delete)
            {
                vertex.Deleted = false;
                vertex.Updated = Now;
            }

            UpdateNeighbors(vertex, (ds, key), action == GraphAction.Delete ? [] : content.Neighbors, sample);
            DeleteIfOrphanPlaceholder(vertex);
        }

        private void UpdateNeighbors(MVertex vertex, (string Datasource, string Vertex) owner, Neighbor[] neighbors, DateTimeOffset sample)
        {
            var reported = new HashSet<(string, string, string)>();
            foreach (var neighbor in neighbors)
            {
                if (!_vertices.TryGetValue(neighbor.Key, out var other))
                {
                    other = Placeholder(neighbor.Key, "ph-" + Split(neighbor.Key).Id, null, sample);
                }

                // A deleted placeholder comes back; a deleted real vertex stays deleted and the
                // edge to it is live (as the graph does; DESIGN.md says nothing else, and readers
                // see such an edge nowhere: LiveEdges and Subgraph need both ends live).
                if (other.Deleted && other.Placeholder)
                {
                    other.Deleted = false;
                    other.Updated = Now;
                }

                var key = neighbor.Direction == EdgeDirection.FromVertex ? (vertex.Key, other.Key, neighbor.Label) : (other.Key, vertex.Key, neighbor.Label);
                if (!_edges.TryGetValue(key, out var edge))
                {
                    edge = new MEdge(key.Item1, key.Item2, key.Item3) { Owner = owner, Updated = Now };
                    _edges.Add(key, edge);
                    Ends(key.Item1).Add(key);
                    Ends(key.Item2).Add(key);
                }

                if (edge.Deleted || edge.Owner != owner)
                {
                    edge.Updated = Now;
                }

                edge.Deleted = false;
                edge.Owner = owner;
                edge.Sample = sample;
                reported.Add(key);
            }

            foreach (var edge in EdgesOf(vertex.Key).Where(e => !e.Deleted && e.Owner == owner && !reported.Contains(e.Key)).ToList())
            {
                edge.Deleted = true;
                edge.Updated = Now;
                DeleteIfOrphanPlaceholder(_vertices[edge.Other(vertex.Key)]);
            }
        }

        public int MarkOutdatedDeleted(string ds, DateTimeOffset started)
        {
            var outdated = _vertices.Values.Where(v => !v.Deleted && !v.Placeholder && v.Sample < started && v.Datasource == ds).ToList();
            var outdatedEdges = _edges.Values.Where(e => !e.Deleted && e.Sample < started && e.Owner.Datasource == ds).ToList();
            foreach (var vertex in outdated)
            {
                MarkDeleted(vertex);
            }

            foreach (var edge in outdatedEdges.Where(e => !e.Deleted))
            {
                edge.Deleted = true;
                edge.Updated = Now;
                DeleteIfOrphanPlaceholder(_vertices[edge.Source]);
                DeleteIfOrphanPlaceholder(_vertices[edge.Target]);
            }

            return outdated.Count;
        }

        public int Purge(TimeSpan retention)
        {
            var cutoff = Now - retention;
            var expired = _vertices.Values.Where(v => v.Deleted && v.Updated <= cutoff).ToList();
            foreach (var vertex in expired)
            {
                foreach (var edge in EdgesOf(vertex.Key).ToList())
                {
                    RemoveEdge(edge);
                }

                _vertices.Remove(vertex.Key);
                _ends.Remove(vertex.Key);
            }

            foreach (var edge in _edges.Values.Where(e => e.Deleted && e.Updated <= cutoff).ToList())
            {
                RemoveEdge(edge);
            }

            return expired.Count;
        }

        private void MarkDeleted(MVertex vertex)
        {
            vertex.Deleted = true;
            vertex.Updated = Now;
            foreach (var edge in EdgesOf(vertex.Key).Where(e => !e.Deleted).ToList())
            {
                edge.Deleted = true;
                edge.Updated = Now;
                DeleteIfOrphanPlaceholder(_vertices[edge.Other(vertex.Key)]);
            }
        }

        private void DeleteIfOrphanPlaceholder(MVertex vertex)
        {
            if (vertex.Placeholder && !vertex.Deleted && EdgesOf(vertex.Key).All(e => e.Deleted))
            {
                vertex.Deleted = true;
                vertex.Updated = Now;
            }
        }

        private MVertex Add(string key)
        {
            var vertex = new MVertex(key);
            _vertices.Add(key, vertex);
            return vertex;
        }

        private MVertex Placeholder(string key, string? name, string? state, DateTimeOffset sample)
        {
            var vertex = Add(key);
            vertex.Placeholder = true;
            vertex.Name = name;
            vertex.State = state;
            vertex.Sample = sample;
            vertex.Updated = Now;
            return vertex;
        }

        private HashSet<(string, string, string)> Ends(string key) =>
            _ends.TryGetValue(key, out var ends) ? ends : _ends[key] = [];

        private IEnumerable<MEdge> EdgesOf(string key) => _ends.TryGetValue(key, out var ends) ? ends.Select(k => _edges[k]) : [];

        private void RemoveEdge(MEdge edge)
        {
            _edges.Remove(edge.Key);
            if (_ends.TryGetValue(edge.Source, out var source))
            {
                source.Remove(edge.Key);
            }

            if (_ends.TryGetValue(edge.Target, out var target))
            {
                target.Remove(edge.Key);
            }
        }

        public string Render(bool withSampleTimes)
        {
            var text = new StringBuilder();
            foreach (var v in _vertices.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                var (type, id) = Split(v.Key);
                text.Append(VertexLine(v.Key, VitrageIdGenerator.FromKey(v.Key), EntityCategories.Resource, type, id, v.Name, v.State, v.Deleted, v.Placeholder,
                    v.Datasource, v.Updated, withSampleTimes ? v.Sample : null));
                foreach (var e in EdgesOf(v.Key).Select(e => EdgeText(e.Source, e.Target, e.Label, e.Deleted, e.Updated)).Order(StringComparer.Ordinal))
                {
                    text.Append("\n    ").Append(e);
                }

                text.Append('\n');
            }

            return text.ToString();
        }

        public string IdsRender(IEnumerable<string> keys)
        {
            var text = new StringBuilder();
            text.Append("count=").Append(_vertices.Count).Append('\n');
            foreach (var key in keys.Order(StringComparer.Ordinal))
            {
                text.Append(key).Append(" -> ").Append(_vertices.ContainsKey(key) ? key : "none").Append('\n');
            }

            return text.ToString();
        }

        // Live, real resources (every vertex here is a resource) by type, state and name.
        public string IndexRender()
        {
            var held = _vertices.Values.Where(v => !v.Deleted && !v.Placeholder).ToList();
            return string.Join("\n", Enum.GetValues<ResourceIndexField>()
                .SelectMany(field => held
                    .Select(v => (v.Key, Value: field switch { ResourceIndexField.Type => Split(v.Key).Type, ResourceIndexField.State => v.State, _ => v.Name }))
                    .Where(e => e.Value is not null)
                    .GroupBy(e => e.Value!, StringComparer.Ordinal)
                    .Select(g => $"{field}={g.Key}: {string.Join(",", g.Select(e => e.Key).Order(StringComparer.Ordinal))}"))
                .Order(StringComparer.Ordinal));
        }

        public string[] LiveKeys(Func<string, bool> picked) =>
            [.. _vertices.Values.Where(v => !v.Deleted && picked(v.Key)).Select(v => v.Key).Order(StringComparer.Ordinal)];

        public IEnumerable<string> LiveEdges(Func<string, bool> picked) =>
            _edges.Values.Where(e => !e.Deleted && !_vertices[e.Source].Deleted && !_vertices[e.Target].Deleted && picked(e.Source) && picked(e.Target))
                .Select(e => $"{e.Source} {e.Label} {e.Target}");

        // Links by source key, then target key, then label: node-link order.
        public string[] SubgraphLinks(Func<string, bool> picked) =>
            [.. _edges.Values.Where(e => !e.Deleted && !_vertices[e.Source].Deleted && !_vertices[e.Target].Deleted && picked(e.Source) && picked(e.Target))
                .OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Target, StringComparer.Ordinal).ThenBy(e => e.Label, StringComparer.Ordinal)
                .Select(e => $"{e.Source} {e.Label} {e.Target}")];
    }

    private sealed class MVertex(string key)
    {
        public string Key { get; } = key;

        public string? Name { get; set; }

        public string? State { get; set; }

        public bool Deleted { get; set; }

        public bool Placeholder { get; set; }

        public string? Datasource { get; set; }

        public DateTimeOffset Sample { get; set; }

        public DateTimeOffset Updated { get; set; }

        public string? Version { get; set; }
    }

    private sealed class MEdge(string source, string target, string label)
    {
        public (string Source, string Target, string Label) Key => (Source, Target, Label);

        public string Source { get; } = source;

        public string Target { get; } = target;

        public string Label { get; } = label;

        public (string Datasource, string Vertex) Owner { get; set; }

        public bool Deleted { get; set; }

        public DateTimeOffset Sample { get; set; }

        public DateTimeOffset Updated { get; set; }

        public string Other(string key) => string.Equals(key, Source, StringComparison.Ordinal) ? Target : Source;
    }
}
