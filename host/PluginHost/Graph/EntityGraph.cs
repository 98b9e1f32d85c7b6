using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// The in-memory entity graph with Vitrage's processor rules. Not thread-safe by design: one
/// <see cref="GraphProcessor"/> owns it and everything else talks to it through the queue.
/// </summary>
internal sealed class EntityGraph(TimeProvider time)
{
    private readonly Dictionary<string, GraphVertex> _vertices = new(StringComparer.Ordinal);

    /// <summary>Every vertex, deleted ones included until they are purged.</summary>
    public IReadOnlyCollection<GraphVertex> Vertices => _vertices.Values;

    public GraphVertex? Find(string key) => _vertices.GetValueOrDefault(key);

    public IEnumerable<GraphVertex> LiveVertices => _vertices.Values.Where(v => !v.IsDeleted);

    /// <summary>Live edges, each once (from its source).</summary>
    public IEnumerable<GraphEdge> LiveEdges =>
        _vertices.Values.SelectMany(v => v.Edges.Values.Where(e => ReferenceEquals(e.Source, v) && !e.IsDeleted));

    /// <summary>Applies one transformer output. Returns <c>false</c> when the update was older than the graph.</summary>
    public bool Apply(EntityUpdate update, string datasourceName, DateTimeOffset sampleTime)
    {
        ArgumentNullException.ThrowIfNull(update);
        var existing = Find(update.Vertex.Key);
        if (update.IsReference)
        {
            ApplyReference(update, existing, datasourceName, sampleTime);
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
                MarkDeleted(existing);
            }

            return true;
        }

        var vertex = existing ?? AddVertex(update.Vertex);
        var now = time.GetUtcNow();
        var unchanged = update.Vertex.Version is { } version && vertex.Version == version && !vertex.IsPlaceholder
            && !vertex.IsDeleted && string.Equals(vertex.DatasourceName, datasourceName, StringComparison.Ordinal);
        if (!unchanged)
        {
            // Replacing equal properties would only turn a long-lived copy into garbage.
            vertex.IsPlaceholder = false;
            vertex.IsDeleted = false;
            vertex.Name = update.Vertex.Name;
            vertex.State = update.Vertex.State;
            vertex.Properties = update.Vertex.Properties;
            vertex.Version = update.Vertex.Version;
            vertex.UpdateTimestamp = now;
            vertex.DatasourceName = datasourceName;
        }

        vertex.SampleTimestamp = sampleTime;
        UpdateNeighbors(vertex, new EdgeOwner(datasourceName, vertex.Key), update.Neighbors, sampleTime, now);
        return true;
    }

    // A reference never changes the vertex it names; it only brings (and later takes) its edges.
    private void ApplyReference(EntityUpdate update, GraphVertex? existing, string datasourceName, DateTimeOffset sampleTime)
    {
        if (existing is null && update.Action == GraphAction.Delete)
        {
            return;
        }

        var now = time.GetUtcNow();
        var vertex = existing ?? AddPlaceholder(update.Vertex, sampleTime, now);
        if (vertex.IsPlaceholder && vertex.IsDeleted && update.Action != GraphAction.Delete)
        {
            vertex.IsDeleted = false;
            vertex.UpdateTimestamp = now;
        }

        var neighbors = update.Action == GraphAction.Delete ? [] : update.Neighbors;
        UpdateNeighbors(vertex, new EdgeOwner(datasourceName, vertex.Key), neighbors, sampleTime, now);
        DeleteIfOrphanPlaceholder(vertex, now);
    }

    /// <summary>
    /// An event for a vertex whose version the graph already holds from the same datasource: only
    /// the sample times of the vertex and of the edges it reported move forward (so the snapshot
    /// still counts them as reported). Returns <c>false</c> when the full update is needed.
    /// </summary>
    public bool TryRefresh(EntityIdentity identity, string datasourceName, DateTimeOffset sampleTime)
    {
        var vertex = Find(identity.Key);
        if (vertex is null || vertex.IsPlaceholder || vertex.IsDeleted || vertex.Version != identity.Version
            || vertex.SampleTimestamp > sampleTime || !string.Equals(vertex.DatasourceName, datasourceName, StringComparison.Ordinal))
        {
            return false;
        }

        vertex.SampleTimestamp = sampleTime;
        var owner = new EdgeOwner(datasourceName, vertex.Key);
        foreach (var edge in vertex.Edges.Values)
        {
            if (!edge.IsDeleted && edge.Owner == owner)
            {
                edge.SampleTimestamp = sampleTime;
            }
        }

        return true;
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

            foreach (var edge in vertex.Edges.Values)
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
            foreach (var edge in vertex.Edges.Values)
            {
                edge.Other(vertex).Edges.Remove(edge.Key);
            }

            _vertices.Remove(vertex.Key);
        }

        foreach (var vertex in _vertices.Values)
        {
            var deadEdges = vertex.Edges.Values.Where(e => e.IsDeleted && e.UpdateTimestamp <= cutoff).ToList();
            foreach (var edge in deadEdges)
            {
                edge.Source.Edges.Remove(edge.Key);
                edge.Target.Edges.Remove(edge.Key);
            }
        }

        return expired.Count;
    }

    private GraphVertex AddVertex(EntityVertex described)
    {
        var key = described.Key;
        var vertex = new GraphVertex(key, VitrageIdGenerator.FromKey(key), described.Category, described.Type, described.Id);
        _vertices.Add(key, vertex);
        return vertex;
    }

    private void UpdateNeighbors(GraphVertex vertex, EdgeOwner owner, IReadOnlyList<EntityNeighbor> neighbors, DateTimeOffset sampleTime, DateTimeOffset now)
    {
        var reported = new HashSet<GraphEdgeKey>(neighbors.Count);
        foreach (var neighbor in neighbors)
        {
            var other = Find(neighbor.Vertex.Key) ?? AddPlaceholder(neighbor.Vertex, sampleTime, now);
            if (other.IsDeleted && other.IsPlaceholder)
            {
                other.IsDeleted = false;
                other.UpdateTimestamp = now;
            }

            var (source, target) = neighbor.Direction == EdgeDirection.FromVertex ? (vertex, other) : (other, vertex);
            var key = new GraphEdgeKey(source.Key, target.Key, neighbor.RelationshipType);
            if (!vertex.Edges.TryGetValue(key, out var edge))
            {
                edge = new GraphEdge(source, target, neighbor.RelationshipType, owner);
                source.Edges[key] = edge;
                target.Edges[key] = edge;
            }

            if (edge.IsDeleted || edge.Owner != owner)
            {
                edge.UpdateTimestamp = now;
            }

            edge.IsDeleted = false;
            edge.Owner = owner;
            edge.SampleTimestamp = sampleTime;
            reported.Add(key);
        }

        // Edges this owner reported before but not now are gone (Vitrage's "delete old connections").
        List<GraphEdge>? gone = null;
        foreach (var edge in vertex.Edges.Values)
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
            DeleteIfOrphanPlaceholder(edge.Other(vertex), now);
        }
    }

    private GraphVertex AddPlaceholder(EntityVertex described, DateTimeOffset sampleTime, DateTimeOffset now)
    {
        var placeholder = AddVertex(described);
        placeholder.IsPlaceholder = true;
        placeholder.Name = described.Name;
        placeholder.State = described.State;
        placeholder.Properties = described.Properties;
        placeholder.SampleTimestamp = sampleTime;
        placeholder.UpdateTimestamp = now;
        return placeholder;
    }

    private void MarkDeleted(GraphVertex vertex)
    {
        var now = time.GetUtcNow();
        vertex.IsDeleted = true;
        vertex.UpdateTimestamp = now;
        foreach (var edge in vertex.Edges.Values.Where(e => !e.IsDeleted))
        {
            edge.IsDeleted = true;
            edge.UpdateTimestamp = now;
            DeleteIfOrphanPlaceholder(edge.Other(vertex), now);
        }
    }

    // A placeholder exists only to hold edges; with none left it is deleted like Vitrage's
    // consistency check would.
    private static void DeleteIfOrphanPlaceholder(GraphVertex vertex, DateTimeOffset now)
    {
        if (vertex.IsPlaceholder && !vertex.IsDeleted && vertex.Edges.Values.All(e => e.IsDeleted))
        {
            vertex.IsDeleted = true;
            vertex.UpdateTimestamp = now;
        }
    }
}
