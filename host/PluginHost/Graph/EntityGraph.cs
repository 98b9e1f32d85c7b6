using System.Collections.Concurrent;
using System.Collections.Immutable;
using PluginHost.Contracts;
using PluginHost.States;

namespace PluginHost.Graph;

/// <summary>
/// The in-memory entity graph with Vitrage's processor rules. Not thread-safe by design: one
/// <see cref="GraphProcessor"/> owns it and everything else talks to it through the queue.
/// Every vertex gets its operational and aggregated value from <paramref name="values"/>
/// (Vitrage's datasource values; none: N/A). With <paramref name="lookupsWhenRead"/> (<c>snapshot</c>,
/// which reads its one version once) each version's lookups by <c>vitrage_id</c> and by resource
/// value are made when first read, not when it is published (<see cref="NextGraphVersion"/>).
/// </summary>
internal sealed partial class EntityGraph(TimeProvider time, DatasourceValues? values = null, bool lookupsWhenRead = false)
{
    private readonly DatasourceValues _values = values ?? DatasourceValues.None;

    private readonly Dictionary<string, GraphVertex> _vertices = new(StringComparer.Ordinal);

    private List<GraphChange> _changes = [];

    /// <summary>The changes recorded since the last call (additions, state changes, deletions of reported vertices).</summary>
    public IReadOnlyList<GraphChange> TakeChanges()
    {
        if (_changes.Count == 0)
        {
            return []; // most calls (one after every batch of events): no list made
        }

        var taken = _changes;
        _changes = [];
        return taken;
    }

    private void Record(GraphChangeKind kind, GraphVertex vertex, string? previousState = null)
    {
        var alarm = vertex.Category == EntityCategories.Alarm;
        // The resource its details name (the edge may be deleted since, an earlier `on` edge may still be there).
        var resource = alarm && vertex.Alarm?.ResourceVitrageId is { } resourceId
            ? vertex.Edges.FirstOrDefault(e => ReferenceEquals(e.Source, vertex) && e.RelationshipType == EdgeLabels.On
                && string.Equals(e.Target.VitrageId, resourceId, StringComparison.Ordinal))?.Target
            : null;
        _changes.Add(new GraphChange(kind, vertex.Key, vertex.Type, vertex.Name, vertex.State, previousState, vertex.DatasourceName)
        {
            Alarm = alarm ? Freeze(vertex) : null,
            Resource = resource is null ? null : Freeze(resource),
        });
    }

    // Keys whose vertex (or one of its edges) changed since the last Publish.
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private GraphVersion _published = GraphVersion.Empty;

    // A published view's sample time moved (see Refresh): the next version has nothing to copy,
    // but is still published, so readers and outputs learn of the snapshot as before.
    private bool _sampleTimesMoved;

    /// <summary>Whether anything changed since the last <see cref="Publish"/>.</summary>
    public bool HasUnpublishedChanges => _dirty.Count > 0 || _sampleTimesMoved;

    /// <summary>
    /// An immutable copy of the graph as it is now. Only what changed since the previous version is
    /// copied; the rest is shared with it.
    /// </summary>
    public GraphVersion Publish()
    {
        if (_dirty.Count == 0 && !_sampleTimesMoved && _published.Number > 0)
        {
            return _published;
        }

        _sampleTimesMoved = false;

        // The first version (all of `snapshot`'s graph, 133,000 vertices at 65,000 nodes) has no
        // earlier view to look up: looking anyway cost 70-125 ms of its 0.9-1.4 s publication.
        var first = _published.Vertices.IsEmpty;
        var changes = new VertexChange[_dirty.Count];
        var live = new GraphVertex?[_dirty.Count];
        var count = 0;
        foreach (var key in _dirty)
        {
            if (_vertices.TryGetValue(key, out var vertex))
            {
                // A vertex purged and added again under its key since the last version has no
                // Published of its own; the version still holds the purged one.
                live[count] = vertex;
                changes[count++] = new VertexChange(key, vertex.Published ?? (first ? null : _published.Find(key)), null);
            }
            else if (_published.Find(key) is { } purged)
            {
                changes[count++] = new VertexChange(key, purged, null);
            }
        }

        _dirty.Clear();
        FreezeAll(live, changes, count);
        _published = NextGraphVersion.Make(_published, new ArraySegment<VertexChange>(changes, 0, count), time.GetUtcNow(), lookupsWhenRead);
        return _published;
    }

    // Freezes the live vertices among the changes. Many (a first snapshot's) are frozen on the
    // thread pool in ranges: nothing changes the graph while it publishes, and the views the edges
    // cache are shared through GraphEdge.View, which is safe for that.
    private static void FreezeAll(GraphVertex?[] live, VertexChange[] changes, int count)
    {
        if (count < NextGraphVersion.ParallelFrom)
        {
            FreezeRange(live, changes, 0, count);
            return;
        }

        Parallel.ForEach(Partitioner.Create(0, count, NextGraphVersion.ParallelRange),
            range => FreezeRange(live, changes, range.Item1, range.Item2));
    }

    private static void FreezeRange(GraphVertex?[] live, VertexChange[] changes, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (live[i] is { } vertex)
            {
                var view = Freeze(vertex);
                vertex.Published = view;
                changes[i] = changes[i] with { After = view };
            }
        }
    }

    private static VertexView Freeze(GraphVertex vertex)
    {
        var edges = new EdgeView[vertex.Edges.Count];
        var i = 0;
        foreach (var edge in vertex.Edges)
        {
            edges[i++] = edge.View;
        }

        return new VertexView(vertex.Key, vertex.VitrageId, vertex.Category, vertex.Type, vertex.Id, vertex.Name, vertex.State,
            vertex.IsDeleted, vertex.IsPlaceholder, vertex.SampleTimestamp, vertex.UpdateTimestamp, vertex.DatasourceName,
            vertex.Properties, edges)
        {
            OperationalValue = vertex.OperationalValue,
            AggregatedValue = vertex.AggregatedValue,
            Alarm = vertex.Alarm,
        };
    }

    private void Touch(GraphVertex vertex) => _dirty.Add(vertex.Key);

    private void Touch(GraphEdge edge)
    {
        _dirty.Add(edge.Source.Key);
        _dirty.Add(edge.Target.Key);
    }

    /// <summary>Every vertex, deleted ones included until they are purged.</summary>
    public IReadOnlyCollection<GraphVertex> Vertices => _vertices.Values;

    public GraphVertex? Find(string key) => _vertices.GetValueOrDefault(key);

    public IEnumerable<GraphVertex> LiveVertices => _vertices.Values.Where(v => !v.IsDeleted);

    /// <summary>Live edges, each once (from its source).</summary>
    public IEnumerable<GraphEdge> LiveEdges =>
        _vertices.Values.SelectMany(v => v.Edges.Where(e => ReferenceEquals(e.Source, v) && !e.IsDeleted));

    /// <summary>
    /// Applies one transformer output. Returns <c>false</c> when the update was older than the graph.
    /// A <paramref name="reference"/> names a vertex another datasource owns: it only links it.
    /// <paramref name="version"/> is the source's version of the entity (see <see cref="TryRefresh"/>).
    /// </summary>
    public bool Apply(EntityUpdate update, string datasourceName, DateTimeOffset sampleTime, bool reference = false, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(update);

        // Built once: an EntityVertex builds its key on every read (a new string each time).
        var key = update.Vertex.Key;
        var existing = Find(key);
        if (reference)
        {
            ApplyReference(update, key, existing, datasourceName, sampleTime);
            return true;
        }

        if (existing is not null && !existing.IsPlaceholder && existing.SampleTimestamp > sampleTime)
        {
            return false; // an older sample never overwrites a newer one
        }

        if (update.Action == GraphAction.Delete)
        {
            if (existing is not null)
            {
                existing.SampleTimestamp = sampleTime;
                Touch(existing);
                MarkDeleted(existing);
            }

            return true;
        }

        if (existing is not null)
        {
            ForgetDeriversVersion(existing); // reported here, not by its owner
        }

        var vertex = existing ?? AddVertex(update.Vertex, key);
        var now = time.GetUtcNow();
        var unchanged = version is not null && vertex.Version == version && !vertex.IsPlaceholder
            && !vertex.IsDeleted && string.Equals(vertex.DatasourceName, datasourceName, StringComparison.Ordinal);
        var wasReported = !vertex.IsPlaceholder && !vertex.IsDeleted && existing is not null;
        var activation = Activation(existing);
        var previousState = vertex.State;
        if (!unchanged)
        {
            // Replacing equal properties would only turn a long-lived copy into garbage.
            SetReported(vertex, update.Vertex, datasourceName, now);
            vertex.Version = version;
        }

        vertex.SampleTimestamp = sampleTime;
        Touch(vertex);
        UpdateNeighbors(vertex, new EdgeOwner(datasourceName, vertex.Key), update.Neighbors, sampleTime, now);
        UpdateDerived(vertex, datasourceName, update.Derived, sampleTime, now);
        if (!unchanged)
        {
            // Recorded once the vertex is complete (an alarm's resource is its edge), so the change carries all of it.
            SetAlarmDetails(vertex, wasReported, sampleTime, activation);
            RecordReported(vertex, wasReported, previousState);
        }

        return true;
    }

    private void SetReported(GraphVertex vertex, EntityVertex described, string datasourceName, DateTimeOffset now)
    {
        var project = Text(vertex, ProjectId);
        vertex.IsPlaceholder = false;
        vertex.IsDeleted = false;
        vertex.DatasourceName = datasourceName;
        Describe(vertex, described, now);
        if (!string.Equals(project, Text(vertex, ProjectId), StringComparison.Ordinal))
        {
            UpdateAlarmsOn(vertex);
        }
    }

    // The transformer's description, and the values that follow from its state.
    private void Describe(GraphVertex vertex, EntityVertex described, DateTimeOffset now)
    {
        vertex.Name = described.Name;
        vertex.State = described.State;
        vertex.Properties = UnchangedPropertyValues.Keep(vertex.Properties, described.Properties);
        vertex.UpdateTimestamp = now;
        ComputeValues(vertex);
    }

    private void RecordReported(GraphVertex vertex, bool wasReported, string? previousState)
    {
        if (!wasReported)
        {
            Record(GraphChangeKind.Added, vertex);
        }
        else if (!string.Equals(previousState, vertex.State, StringComparison.Ordinal))
        {
            Record(GraphChangeKind.StateChanged, vertex, previousState);
        }
    }

    // A reference never changes the vertex it names; it only brings (and later takes) its edges.
    private void ApplyReference(EntityUpdate update, string key, GraphVertex? existing, string datasourceName, DateTimeOffset sampleTime)
    {
        if (existing is null && update.Action == GraphAction.Delete)
        {
            return;
        }

        if (existing is not null)
        {
            // Linked here, not by its owner: its edges may be the very ones the owner's update made
            // (the same datasource's reference shares their EdgeOwner).
            ForgetDeriversVersion(existing);
        }

        var now = time.GetUtcNow();
        var vertex = existing ?? AddPlaceholder(update.Vertex, key, sampleTime, now);
        if (vertex.IsPlaceholder && vertex.IsDeleted && update.Action != GraphAction.Delete)
        {
            vertex.IsDeleted = false;
            vertex.UpdateTimestamp = now;
            Touch(vertex);
        }

        var neighbors = update.Action == GraphAction.Delete ? [] : update.Neighbors;
        UpdateNeighbors(vertex, new EdgeOwner(datasourceName, vertex.Key), neighbors, sampleTime, now);
        DeleteIfOrphanPlaceholder(vertex, now);
    }

    /// <summary>
    /// An event for a vertex whose version the graph already holds from the same datasource: only
    /// the sample times of the vertex and of the edges it reported move forward (so the snapshot
    /// still counts them as reported). Returns <c>false</c> when the full update is needed, which is
    /// also the case once an edge the vertex owns was deleted, taken over or purged by anything but
    /// its own update (<see cref="ForgetOwnersVersion"/>): a refresh would leave that edge out.
    /// </summary>
    public bool TryRefresh(string key, string version, string datasourceName, DateTimeOffset sampleTime)
    {
        var vertex = Find(key);
        if (vertex is null || vertex.IsPlaceholder || vertex.IsDeleted || vertex.Version != version
            || vertex.SampleTimestamp > sampleTime || !string.Equals(vertex.DatasourceName, datasourceName, StringComparison.Ordinal))
        {
            return false;
        }

        RefreshWithDerived(vertex, datasourceName, sampleTime);
        return true;
    }

    /// <summary>
    /// A snapshot's event for the vertex <paramref name="key"/> that could not be transformed: the
    /// entity is there, only this reading of it is not usable. The vertex keeps what it holds and
    /// counts as reported, like a refresh, so the snapshot's end does not delete it (a failed read
    /// never deletes); its version is forgotten, so the entity's next event is applied in full.
    /// Returns <c>false</c> when the graph holds no live vertex of this datasource under the key.
    /// </summary>
    public bool Retain(string key, string datasourceName, DateTimeOffset sampleTime)
    {
        var vertex = Find(key);
        if (vertex is null || vertex.IsPlaceholder || vertex.IsDeleted
            || vertex.SampleTimestamp > sampleTime || !string.Equals(vertex.DatasourceName, datasourceName, StringComparison.Ordinal))
        {
            return false;
        }

        vertex.Version = null;
        RefreshWithDerived(vertex, datasourceName, sampleTime);
        return true;
    }

    private void RefreshWithDerived(GraphVertex vertex, string datasourceName, DateTimeOffset sampleTime)
    {
        Refresh(vertex, datasourceName, sampleTime);
        if (vertex.DerivedKeys is not null) // most vertices derive nothing: no enumerator for them
        {
            foreach (var derived in DerivedOf(vertex))
            {
                Refresh(derived, datasourceName, sampleTime);
            }
        }
    }

    private void Refresh(GraphVertex vertex, string datasourceName, DateTimeOffset sampleTime)
    {
        vertex.SampleTimestamp = sampleTime;
        if (vertex.Published is { } view && !_dirty.Contains(vertex.Key))
        {
            // Unchanged since it was published: its view is still the vertex as reported now.
            view.MoveSampleTime(sampleTime);
            _sampleTimesMoved = true;
        }
        else
        {
            Touch(vertex);
        }

        var owner = new EdgeOwner(datasourceName, vertex.Key);
        foreach (var edge in vertex.Edges)
        {
            if (!edge.IsDeleted && edge.Owner == owner)
            {
                edge.SampleTimestamp = sampleTime;
            }
        }
    }

    /// <summary>
    /// New transformers (a reload changed their settings): each vertex holds what the old ones made
    /// of its version, so no version counts as held any more, and each entity's next event is
    /// transformed and applied in full (<see cref="Apply"/> keeps the properties of a version it holds).
    /// </summary>
    public void ForgetVersions()
    {
        foreach (var vertex in _vertices.Values)
        {
            vertex.Version = null;
        }
    }

    /// <summary>
    /// After a complete snapshot: marks deleted every vertex and edge of <paramref name="datasourceName"/>
    /// that the snapshot did not report (sample time older than the snapshot's start). One pass.
    /// </summary>
    public int MarkOutdatedDeleted(string datasourceName, DateTimeOffset snapshotStart)
    {
        var outdated = new List<GraphVertex>();
        var outdatedEdges = new List<GraphEdge>();
        foreach (var vertex in _vertices.Values)
        {
            if (!vertex.IsDeleted && !vertex.IsPlaceholder && vertex.SampleTimestamp < snapshotStart
                && string.Equals(vertex.DatasourceName, datasourceName, StringComparison.Ordinal))
            {
                outdated.Add(vertex);
            }

            foreach (var edge in vertex.Edges)
            {
                if (ReferenceEquals(edge.Source, vertex) && !edge.IsDeleted && edge.SampleTimestamp < snapshotStart
                    && string.Equals(edge.Owner.DatasourceName, datasourceName, StringComparison.Ordinal))
                {
                    outdatedEdges.Add(edge);
                }
            }
        }

        foreach (var vertex in outdated)
        {
            MarkDeleted(vertex);
        }

        var now = time.GetUtcNow();
        foreach (var edge in outdatedEdges.Where(e => !e.IsDeleted))
        {
            edge.IsDeleted = true;
            edge.UpdateTimestamp = now;
            Touch(edge);
            ForgetOwnersVersion(edge.Owner);
            DeleteIfOrphanPlaceholder(edge.Source, now);
            DeleteIfOrphanPlaceholder(edge.Target, now);
        }

        return outdated.Count;
    }

    /// <summary>Removes vertices and edges that have been deleted for longer than <paramref name="retention"/>.</summary>
    public int Purge(TimeSpan retention)
    {
        var cutoff = time.GetUtcNow() - retention;
        var expired = _vertices.Values.Where(v => v.IsDeleted && v.UpdateTimestamp <= cutoff).ToList();
        foreach (var vertex in expired)
        {
            foreach (var edge in vertex.Edges)
            {
                // An edge from the vertex to itself goes with it (and removing it would change the
                // edges being enumerated).
                var other = edge.Other(vertex);
                if (!ReferenceEquals(other, vertex))
                {
                    other.Edges.Remove(edge.Key);
                    Touch(other);

                    // A live edge to a deleted vertex (its other end reported it since) goes too:
                    // its owner's next event must bring it back, as a placeholder, not refresh without it.
                    if (!edge.IsDeleted)
                    {
                        ForgetOwnersVersion(edge.Owner);
                    }
                }
            }

            _vertices.Remove(vertex.Key);
            Touch(vertex);
        }

        // Every vertex after every complete snapshot (133,000 at 65,000 nodes): a list only for a
        // vertex that has an edge to purge, not one per vertex.
        List<GraphEdge>? deadEdges = null;
        foreach (var vertex in _vertices.Values)
        {
            foreach (var edge in vertex.Edges)
            {
                if (edge.IsDeleted && edge.UpdateTimestamp <= cutoff)
                {
                    (deadEdges ??= []).Add(edge);
                }
            }

            if (deadEdges is { Count: > 0 })
            {
                foreach (var edge in deadEdges)
                {
                    edge.Source.Edges.Remove(edge.Key);
                    edge.Target.Edges.Remove(edge.Key);
                    Touch(edge);
                }

                deadEdges.Clear();
            }
        }

        return expired.Count;
    }

    private GraphVertex AddVertex(EntityVertex described, string key)
    {
        var vertex = new GraphVertex(key, VitrageIdGenerator.FromKey(key), described.Category, described.Type, described.Id);
        _vertices.Add(key, vertex);
        Touch(vertex);
        return vertex;
    }

    private void UpdateNeighbors(GraphVertex vertex, EdgeOwner owner, IReadOnlyList<EntityNeighbor> neighbors, DateTimeOffset sampleTime, DateTimeOffset now)
    {
        var reported = new HashSet<GraphEdgeKey>(neighbors.Count);
        foreach (var neighbor in neighbors)
        {
            var neighborKey = neighbor.Vertex.Key;
            var other = Find(neighborKey) ?? AddPlaceholder(neighbor.Vertex, neighborKey, sampleTime, now);
            if (other.IsDeleted && other.IsPlaceholder)
            {
                other.IsDeleted = false;
                other.UpdateTimestamp = now;
                Touch(other);
            }

            var (source, target) = neighbor.Direction == EdgeDirection.FromVertex ? (vertex, other) : (other, vertex);
            var key = new GraphEdgeKey(source.Key, target.Key, neighbor.RelationshipType);
            if (!vertex.Edges.TryGetValue(key, out var edge))
            {
                // A new edge is stamped when it is created, as Vitrage does.
                edge = new GraphEdge(source, target, neighbor.RelationshipType, owner) { UpdateTimestamp = now };
                source.Edges[key] = edge;
                target.Edges[key] = edge;
                Touch(edge);
            }

            if (edge.IsDeleted || edge.Owner != owner)
            {
                edge.UpdateTimestamp = now;
                Touch(edge);
                if (edge.Owner != owner)
                {
                    ForgetOwnersVersion(edge.Owner); // taken over: its owner's next event must take it back
                }
            }

            edge.IsDeleted = false;
            edge.Owner = owner;
            edge.SampleTimestamp = sampleTime;
            reported.Add(key);
        }

        // Edges this owner reported before but not now are gone (Vitrage's "delete old connections").
        List<GraphEdge>? gone = null;
        foreach (var edge in vertex.Edges)
        {
            if (!edge.IsDeleted && edge.Owner == owner && !reported.Contains(edge.Key))
            {
                (gone ??= []).Add(edge);
            }
        }

        foreach (var edge in gone ?? [])
        {
            edge.IsDeleted = true;
            edge.UpdateTimestamp = now;
            Touch(edge);
            DeleteIfOrphanPlaceholder(edge.Other(vertex), now);
        }
    }

    private GraphVertex AddPlaceholder(EntityVertex described, string key, DateTimeOffset sampleTime, DateTimeOffset now)
    {
        var placeholder = AddVertex(described, key);
        placeholder.IsPlaceholder = true;
        placeholder.SampleTimestamp = sampleTime;
        Describe(placeholder, described, now); // as Vitrage does for a neighbor it adds: usually N/A and no aggregated state
        return placeholder;
    }

    /// <summary>
    /// Deletes <paramref name="vertex"/> with its edges and what it derived. A derived vertex deleted
    /// by anything but its owner's own update (<paramref name="byItsOwner"/>) makes the owner's next
    /// event a full update, which derives it again if the owner still reports it.
    /// </summary>
    private void MarkDeleted(GraphVertex vertex, bool byItsOwner = false)
    {
        var now = time.GetUtcNow();
        var wasReported = !vertex.IsPlaceholder && !vertex.IsDeleted;
        if (!byItsOwner && wasReported)
        {
            ForgetDeriversVersion(vertex);
        }

        vertex.IsDeleted = true;
        vertex.UpdateTimestamp = now;
        Touch(vertex);
        if (wasReported)
        {
            Record(GraphChangeKind.Deleted, vertex); // after the flag: an ended alarm is told as deleted
        }

        DeleteDerived(vertex);
        foreach (var edge in vertex.Edges.Where(e => !e.IsDeleted))
        {
            edge.IsDeleted = true;
            edge.UpdateTimestamp = now;
            Touch(edge);
            ForgetOwnersVersion(edge.Owner);
            DeleteIfOrphanPlaceholder(edge.Other(vertex), now);
        }
    }

    /// <summary>
    /// An edge was deleted, taken over or removed by something other than its owner's own update
    /// (another datasource, the deletion of its other end, a complete snapshot, the purge of its
    /// deleted other end): the owner's next event
    /// would bring it back, so <see cref="TryRefresh"/> must not take that event as unchanged. The
    /// owner's version is forgotten; its next event is transformed and applied in full.
    /// </summary>
    private void ForgetOwnersVersion(EdgeOwner owner)
    {
        if (_vertices.TryGetValue(owner.VertexKey, out var vertex)
            && string.Equals(vertex.DatasourceName, owner.DatasourceName, StringComparison.Ordinal))
        {
            vertex.Version = null;
        }
    }

    /// <summary>
    /// A live vertex some owner derived is reported, linked or deleted by something other than that
    /// owner's own update: the owner's next event is applied in full, and derives it again as its
    /// full update would (the derived vertices' twin of <see cref="ForgetOwnersVersion"/>).
    /// </summary>
    private void ForgetDeriversVersion(GraphVertex vertex)
    {
        if (!vertex.IsDeleted && vertex.DerivedOwnerKey is { } owner)
        {
            ForgetVersion(owner);
        }
    }

    private void ForgetVersion(string key)
    {
        if (_vertices.TryGetValue(key, out var vertex))
        {
            vertex.Version = null;
        }
    }

    // A placeholder exists only to hold edges; with none left it is deleted like Vitrage's
    // consistency check would.
    private void DeleteIfOrphanPlaceholder(GraphVertex vertex, DateTimeOffset now)
    {
        if (vertex.IsPlaceholder && !vertex.IsDeleted && vertex.Edges.All(e => e.IsDeleted))
        {
            vertex.IsDeleted = true;
            vertex.UpdateTimestamp = now;
            Touch(vertex);
        }
    }
}
