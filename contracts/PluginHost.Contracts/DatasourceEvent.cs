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
    private JsonElement _properties = Properties;

    // Set by FromUtf8: the entity's bytes, parsed into _parsed on the first read of Properties.
    private ReadOnlyMemory<byte> _utf8Properties;
    private JsonDocument? _parsed;

    /// <summary>
    /// The raw entity, a JSON object. For an event made by <see cref="FromUtf8"/> it is parsed on
    /// the first read (thread-safe), so an event whose transform the host skips is never parsed.
    /// </summary>
    /// <exception cref="JsonException">The bytes given to <see cref="FromUtf8"/> are not one JSON value.</exception>
    public JsonElement Properties
    {
        get => _utf8Properties.IsEmpty ? _properties : Parse();
        init
        {
            _properties = value;
            _utf8Properties = default;
            _parsed = null;
        }
    }

    /// <summary>
    /// An event whose <see cref="Properties"/> are the UTF-8 JSON object <paramref name="utf8Properties"/>,
    /// parsed only when first read. The host reads <see cref="EntityId"/> and <see cref="EntityVersion"/>
    /// first, so an entity it already holds at that version is never parsed: for a driver that has the
    /// raw bytes (and validated them while reading), this saves a parse per unchanged entity.
    /// </summary>
    /// <param name="entityType">Selects the transformer.</param>
    /// <param name="action">Why the event was read.</param>
    /// <param name="sampleTime">When the datasource read the entity.</param>
    /// <param name="datasourceName">The datasource that read it.</param>
    /// <param name="utf8Properties">One JSON object, owned by the event from now on: it must not change
    /// while the event lives. Invalid JSON throws <see cref="JsonException"/> when <see cref="Properties"/>
    /// is read (in the transformer, which then fails on this event only, and in the host's outputs that
    /// write events — event log, notifications — which drop it).</param>
    public static DatasourceEvent FromUtf8(string entityType, DatasourceAction action, DateTimeOffset sampleTime, string datasourceName,
        ReadOnlyMemory<byte> utf8Properties) =>
        utf8Properties.IsEmpty
            ? throw new ArgumentException("the properties are empty; give one JSON object", nameof(utf8Properties))
            : new(entityType, action, sampleTime, datasourceName, default) { _utf8Properties = utf8Properties };

    /// <summary>
    /// Record equality over what the event says; the document parsed on a first read of
    /// <see cref="Properties"/> is a cache, so reading never changes equality or the hash.
    /// </summary>
    public bool Equals(DatasourceEvent? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && EntityType == other.EntityType
            && Action == other.Action
            && SampleTime.Equals(other.SampleTime)
            && DatasourceName == other.DatasourceName
            && _properties.Equals(other._properties)
            && _utf8Properties.Equals(other._utf8Properties)
            && EntityId == other.EntityId
            && EntityVersion == other.EntityVersion
            && IsEndOfSnapshot == other.IsEndOfSnapshot);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(EntityType);
        hash.Add(Action);
        hash.Add(SampleTime);
        hash.Add(DatasourceName);
        hash.Add(_properties);
        hash.Add(_utf8Properties);
        hash.Add(EntityId);
        hash.Add(EntityVersion);
        hash.Add(IsEndOfSnapshot);
        return hash.ToHashCode();
    }

    /// <summary>
    /// (1.3) The entity's UTF-8 JSON as given to <see cref="FromUtf8"/>, unparsed; <c>false</c> for an
    /// event made from a <see cref="JsonElement"/>. A transformer that keeps nothing of the entity's
    /// elements (only strings, numbers and copied bytes) can parse these bytes into a document of its
    /// own and dispose it when done: that document's metadata, pooled memory about the size of the
    /// entity, then serves the next parse. The parse behind <see cref="Properties"/> lives as long as
    /// the event and leaves that memory to the collector, a large share of what a first snapshot
    /// of many entities allocates. The bytes are as the driver gave them: parsing them throws
    /// <see cref="JsonException"/> where reading <see cref="Properties"/> would.
    /// </summary>
    /// <param name="utf8Properties">The bytes; empty when the method returns <c>false</c>. They belong
    /// to the event: read them, never change them.</param>
    public bool TryGetUtf8Properties(out ReadOnlyMemory<byte> utf8Properties)
    {
        utf8Properties = _utf8Properties;
        return !utf8Properties.IsEmpty;
    }

    private JsonElement Parse()
    {
        var parsed = Volatile.Read(ref _parsed);
        if (parsed is null)
        {
            // A racing reader may parse too; the first document stored wins and the other is garbage.
            var document = JsonDocument.Parse(_utf8Properties);
            parsed = Interlocked.CompareExchange(ref _parsed, document, null) ?? document;
        }

        return parsed.RootElement;
    }

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
