using System.Text.Json;

namespace PluginHost.Contracts;

/// <summary>
/// One entity as a datasource read it. <see cref="Properties"/> is the datasource's raw object
/// (a JSON object); the transformer registered for <see cref="EntityType"/> turns it into a vertex.
/// The host serializes it with Vitrage's keys (<c>vitrage_entity_type</c>,
/// <c>vitrage_datasource_action</c>, <c>vitrage_sample_date</c>, <c>vitrage_datasource_name</c>).
/// </summary>
/// <param name="EntityType">Selects the transformer, e.g. <c>kubernetes.node</c>.</param>
/// <param name="Action">Why the event was read: a snapshot or an update.</param>
/// <param name="SampleTime">When the datasource read the entity; an older sample never overwrites a newer one.</param>
/// <param name="DatasourceName">The datasource (<see cref="DatasourceContext.Name"/>) that read it.</param>
/// <param name="Properties">The raw entity, a JSON object. It must stay valid for as long as the event lives.</param>
public sealed record DatasourceEvent(
    string EntityType,
    DatasourceAction Action,
    DateTimeOffset SampleTime,
    string DatasourceName,
    JsonElement Properties)
{
    /// <summary>
    /// Optional: the entity's identity at its source (Kubernetes' <c>metadata.uid</c>). Together with
    /// <see cref="EntityVersion"/> it lets the host skip the transform of an unchanged entity.
    /// </summary>
    public string? EntityId { get; init; }

    /// <summary>
    /// Optional: the entity's version at its source (Kubernetes' <c>resourceVersion</c>). When the host
    /// already holds the vertex this entity gave at this version, it only refreshes the sample times
    /// of that vertex and of its edges instead of transforming again. Set it only when the version
    /// changes whenever anything the transformer reads from the event changes.
    /// </summary>
    public string? EntityVersion { get; init; }

    /// <summary><c>true</c> for the marker made by <see cref="EndOfSnapshot"/>; it carries no entity.</summary>
    public bool IsEndOfSnapshot { get; private init; }

    /// <summary>
    /// A marker a driver yields from <see cref="IChangesDriver.GetChangesAsync"/> after the events of a
    /// complete snapshot it read itself (a relist after a lost watch, a snapshot relayed from another
    /// host): the vertices of <paramref name="datasourceName"/> whose sample time is older than
    /// <paramref name="startedAt"/> are then deleted, exactly as after a complete
    /// <see cref="IDatasourceDriver.GetAllAsync"/>. Yield it only when every entity was reported.
    /// </summary>
    public static DatasourceEvent EndOfSnapshot(string datasourceName, DateTimeOffset startedAt) =>
        new(string.Empty, DatasourceAction.Snapshot, startedAt, datasourceName, default) { IsEndOfSnapshot = true };
}
