using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes.Watch;

/// <summary>The <c>type</c> of a watch event.</summary>
internal enum WatchEventType
{
    Unknown,
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>
/// One line of a watch stream, <c>{"type": …, "object": …}</c>. For a node event only where the
/// object's bytes are (the caller copies them into its event, so a node is parsed once); a
/// BOOKMARK's version and WatchList end mark and an ERROR's Status are read here. The object is a
/// view of the stream's buffer: valid until the next line is read.
/// </summary>
internal sealed class WatchEvent
{
    /// <summary>The annotation of the BOOKMARK that ends a WatchList's initial events.</summary>
    public const string InitialEventsEndAnnotation = "k8s.io/initial-events-end";

    private WatchEvent(WatchEventType type, string typeName, ReadOnlyMemory<byte> objectJson)
    {
        Type = type;
        TypeName = typeName;
        Object = objectJson;
    }

    public WatchEventType Type { get; }

    /// <summary>As the server wrote it (<c>ADDED</c>, …).</summary>
    public string TypeName { get; }

    /// <summary>The raw object.</summary>
    public ReadOnlyMemory<byte> Object { get; }

    /// <summary>A BOOKMARK's <c>metadata.resourceVersion</c>.</summary>
    public string? ResourceVersion { get; private init; }

    /// <summary>A BOOKMARK that ends a WatchList's initial events.</summary>
    public bool InitialEventsEnd { get; private init; }

    /// <summary>An ERROR's Status <c>code</c>, <c>reason</c> and <c>message</c>.</summary>
    public (int Code, string? Reason, string? Message) Status { get; private init; }

    /// <summary>An ERROR that means the version to watch from is gone (410, Expired, Gone, "too old resource version"): list again.</summary>
    public bool IsExpired => Type == WatchEventType.Error
        && (Status.Code == 410 || Status.Reason is "Expired" or "Gone"
            || (Status.Message?.Contains("too old resource version", StringComparison.OrdinalIgnoreCase) ?? false));

    /// <summary>
    /// An ERROR that means the version to watch from is above the server's (504 Timeout, "Too large
    /// resource version": etcd was restored from a backup taken before it). Watching again from it
    /// gets the same answer until the cluster's version passes it, so, like client-go: list again.
    /// Told by the message: the Status's cause (ResourceVersionTooLarge) is not read.
    /// </summary>
    public bool IsTooLargeResourceVersion => Type == WatchEventType.Error
        && (Status.Message?.Contains("Too large resource version", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Parses one line; a line that is not a watch event throws <see cref="JsonException"/>.</summary>
    public static WatchEvent Parse(ReadOnlyMemory<byte> line)
    {
        var reader = new Utf8JsonReader(line.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a watch event is not a JSON object");
        }

        string? typeName = null;
        var objectRange = default(Range);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                typeName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                objectRange = reader.TokenType == JsonTokenType.EndObject ? new Range(start, (int)reader.BytesConsumed) : default;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || typeName is null || objectRange.Equals(default(Range)))
        {
            throw new JsonException("a watch event without a type or an object");
        }

        var objectJson = line[objectRange];
        var type = typeName switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => WatchEventType.Unknown,
        };
        return type switch
        {
            WatchEventType.Bookmark => ReadBookmark(typeName, objectJson),
            WatchEventType.Error => ReadError(typeName, objectJson),
            _ => new WatchEvent(type, typeName, objectJson),
        };
    }

    private static WatchEvent ReadBookmark(string typeName, ReadOnlyMemory<byte> objectJson)
    {
        using var document = JsonDocument.Parse(objectJson);
        var metadata = Child(document.RootElement, "metadata");
        var annotations = Child(metadata, "annotations");
        return new WatchEvent(WatchEventType.Bookmark, typeName, objectJson)
        {
            ResourceVersion = Text(metadata, "resourceVersion"),
            InitialEventsEnd = Text(annotations, InitialEventsEndAnnotation) == "true",
        };
    }

    private static WatchEvent ReadError(string typeName, ReadOnlyMemory<byte> objectJson)
    {
        using var document = JsonDocument.Parse(objectJson);
        var status = document.RootElement;
        var code = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("code", out var c) && c.TryGetInt32(out var value) ? value : 0;
        return new WatchEvent(WatchEventType.Error, typeName, objectJson) { Status = (code, Text(status, "reason"), Text(status, "message")) };
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
