using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// Derived vertices (<see cref="EntityUpdate.Derived"/>: a node's alarms) are owned by the vertex
/// whose update reported them, exactly like its edges: only that owner's later updates create,
/// change or end them, and they end with it.
/// </summary>
internal sealed partial class EntityGraph
{
    private const string ProjectId = "project_id";

    private void UpdateDerived(GraphVertex owner, string datasourceName, IReadOnlyList<EntityNeighbor> derived, DateTimeOffset sampleTime, DateTimeOffset now)
    {
        if (derived.Count == 0 && owner.DerivedKeys is null)
        {
            return; // the common case: nothing derived, before or now
        }

        var reported = new HashSet<string>(derived.Count, StringComparer.Ordinal);
        foreach (var item in derived)
        {
            var key = item.Vertex.Key;
            if (string.Equals(key, owner.Key, StringComparison.Ordinal) || !reported.Add(key))
            {
                continue; // a vertex cannot derive itself; a repeated one is taken once
            }

            var existing = Find(key);
            var vertex = existing ?? AddVertex(item.Vertex, key);
            var wasReported = existing is not null && !existing.IsPlaceholder && !existing.IsDeleted;
            var activation = Activation(existing);
            var previousState = vertex.State;
            if (!wasReported || !SameDescription(vertex, item.Vertex, datasourceName))
            {
                SetReported(vertex, item.Vertex, datasourceName, now);
            }

            if (vertex.DerivedOwnerKey is { } previousOwner && !string.Equals(previousOwner, owner.Key, StringComparison.Ordinal))
            {
                ForgetVersion(previousOwner); // taken over: the previous owner's next event must take it back, as its full update would
            }

            vertex.DerivedOwnerKey = owner.Key;
            vertex.Version = null; // whatever its own events said (the same datasource's, at times) is replaced: the next is applied in full
            vertex.SampleTimestamp = sampleTime;
            Touch(vertex);

            // The edge to the owner is the derived vertex's own: seen from it, the direction turns round.
            var toOwner = new EntityNeighbor(new EntityVertex(owner.Type, owner.Id) { Category = owner.Category }, item.RelationshipType,
                item.Direction == EdgeDirection.FromVertex ? EdgeDirection.ToVertex : EdgeDirection.FromVertex);
            UpdateNeighbors(vertex, new EdgeOwner(datasourceName, vertex.Key), [toOwner], sampleTime, now);
            SetAlarmDetails(vertex, wasReported, sampleTime, activation);
            RecordReported(vertex, wasReported, previousState);
        }

        foreach (var gone in DerivedOf(owner).Where(v => !reported.Contains(v.Key)).ToList())
        {
            MarkDeleted(gone, byItsOwner: true); // an alarm the owner no longer reports has ended
        }

        owner.DerivedKeys = reported.Count == 0 ? null : reported;
    }

    /// <summary>The live vertices <paramref name="owner"/> derived.</summary>
    private IEnumerable<GraphVertex> DerivedOf(GraphVertex owner)
    {
        foreach (var key in owner.DerivedKeys ?? [])
        {
            if (Find(key) is { IsDeleted: false } derived && string.Equals(derived.DerivedOwnerKey, owner.Key, StringComparison.Ordinal))
            {
                yield return derived;
            }
        }
    }

    // An owner that is deleted takes what it derived with it.
    private void DeleteDerived(GraphVertex owner)
    {
        foreach (var derived in DerivedOf(owner).ToList())
        {
            MarkDeleted(derived, byItsOwner: true);
        }

        owner.DerivedKeys = null;
    }

    // Unchanged: nothing to replace, so the vertex keeps its update_timestamp (no churn between snapshots).
    private static bool SameDescription(GraphVertex vertex, EntityVertex described, string datasourceName) =>
        string.Equals(vertex.Name, described.Name, StringComparison.Ordinal)
        && string.Equals(vertex.State, described.State, StringComparison.Ordinal)
        && string.Equals(vertex.DatasourceName, datasourceName, StringComparison.Ordinal)
        && vertex.Properties.Count == described.Properties.Count
        && vertex.Properties.All(p => described.Properties.TryGetValue(p.Key, out var value) && Equals(p.Value, value));

    /// <summary>Vitrage's values: a resource's from <c>state</c> and <c>vitrage_state</c>, an alarm's from <c>severity</c>.</summary>
    private void ComputeValues(GraphVertex vertex)
    {
        var alarm = vertex.Category == EntityCategories.Alarm;
        var computed = _values.Compute(vertex.Category, vertex.Type,
            alarm ? Text(vertex, "severity") : vertex.State, alarm ? null : Text(vertex, "vitrage_state"));
        vertex.OperationalValue = computed.Operational;
        vertex.AggregatedValue = computed.Aggregated;
    }

    /// <summary>
    /// Whether an update of the vertex <paramref name="existing"/> (before it is applied) begins an
    /// activation that takes a <c>vitrage_id</c> of its own: a new vertex, or one reported before
    /// and deleted since (an alarm that ended and is raised again). A placeholder that becomes real
    /// keeps its id, as every placeholder does.
    /// </summary>
    private static bool Activation(GraphVertex? existing) => existing is null || (existing.IsDeleted && !existing.IsPlaceholder);

    /// <summary>
    /// An alarm's start (the datasource's <c>start_timestamp</c>, else when it became active, kept
    /// while it stays active) and the resource its <c>on</c> edge names. An alarm raised anew takes
    /// the id of this activation: in Vitrage an alarm raised again after it ended has a new
    /// <c>vitrage_id</c>, so each row of its history is found by its id (<c>alarm history --marker</c>);
    /// made from the key and the start, it stays the same across a restart when the datasource gives the start.
    /// </summary>
    private void SetAlarmDetails(GraphVertex vertex, bool wasActive, DateTimeOffset sampleTime, bool activation = false)
    {
        if (vertex.Category != EntityCategories.Alarm)
        {
            return;
        }

        var start = Text(vertex, ComputedProperties.StartTimestamp)
            ?? (wasActive ? vertex.Alarm?.StartTimestamp : null)
            ?? Outputs.EventJson.FormatTime(sampleTime);
        if (activation)
        {
            vertex.VitrageId = VitrageIdGenerator.FromActivation(vertex.Key, start);
        }

        // Its own `on` edge (what its last update reported), not one another vertex reports: that one
        // comes and goes without the alarm's next event being applied in full.
        var own = new EdgeOwner(vertex.DatasourceName ?? string.Empty, vertex.Key);
        var on = vertex.Edges.FirstOrDefault(e => !e.IsDeleted && ReferenceEquals(e.Source, vertex) && e.RelationshipType == EdgeLabels.On && e.Owner == own);
        var resource = on?.Target;
        var details = new AlarmDetails(start, resource?.VitrageId, resource?.Type, resource is null ? null : Text(resource, ProjectId));
        if (details != vertex.Alarm)
        {
            vertex.Alarm = details;
            Touch(vertex);
        }
    }

    // A resource's project changed: the alarms on it show the new one as vitrage_resource_project_id,
    // whether or not their own next event is unchanged (a refresh would not set their details again).
    private void UpdateAlarmsOn(GraphVertex resource)
    {
        foreach (var edge in resource.Edges)
        {
            if (!edge.IsDeleted && ReferenceEquals(edge.Target, resource) && edge.RelationshipType == EdgeLabels.On
                && edge.Source is { Category: EntityCategories.Alarm, IsDeleted: false, Alarm: not null } alarm)
            {
                SetAlarmDetails(alarm, wasActive: true, alarm.SampleTimestamp);
            }
        }
    }

    private static string? Text(GraphVertex vertex, string name) => vertex.Properties.GetValueOrDefault(name) switch
    {
        string text => text,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } element => element.GetString(),
        Utf8JsonValue { ValueKind: System.Text.Json.JsonValueKind.String } json => json.ToElement().GetString(),
        _ => null,
    };
}
