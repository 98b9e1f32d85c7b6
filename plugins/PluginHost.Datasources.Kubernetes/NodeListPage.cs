using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// One page of <c>GET /api/v1/nodes</c>, read into the driver's page buffer and scanned once with
/// <see cref="Utf8JsonReader"/> (which validates the whole body): where each node's JSON is, and
/// the continue token. Nodes are not parsed here; the driver copies each node's bytes into its
/// event, so every node is parsed once. The page is valid until the next page is read into the
/// same buffer, so the driver holds one page of raw nodes at a time.
/// </summary>
internal sealed class NodeListPage
{
    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly List<Range> _items;

    private NodeListPage(byte[] buffer, int length, List<Range> items, string? continueToken, bool hasItems)
    {
        _buffer = buffer;
        _length = length;
        _items = items;
        ContinueToken = continueToken;
        HasItems = hasItems;
    }

    public string? ContinueToken { get; }

    /// <summary>Whether the body had an <c>items</c> array at all (a Kubernetes list always does).</summary>
    public bool HasItems { get; }

    public int Count => _items.Count;

    /// <summary>The raw JSON of node <paramref name="index"/>, valid until the page is disposed.</summary>
    public ReadOnlySpan<byte> Item(int index) => _buffer.AsSpan(0, _length)[_items[index]];

    /// <summary>Reads a whole body into <paramref name="buffer"/> (grown as needed) and scans it.</summary>
    public static async Task<NodeListPage> ReadAsync(Stream body, PageBuffer buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Bytes.Length)
            {
                buffer.Grow(length);
            }

            var read = await body.ReadAsync(buffer.Bytes.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        var (items, continueToken, hasItems) = Scan(buffer.Bytes.AsSpan(0, length));
        return new NodeListPage(buffer.Bytes, length, items, continueToken, hasItems);
    }

    private static (List<Range> Items, string? ContinueToken, bool HasItems) Scan(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var items = new List<Range>();
        string? continueToken = null;
        var hasItems = false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the body is not a JSON object", null, 0, reader.BytesConsumed);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    hasItems = true;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        items.Add(reader.TokenType == JsonTokenType.EndObject ? new Range(start, (int)reader.BytesConsumed) : new Range(start, start));
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isContinue = reader.ValueTextEquals("continue"u8);
                    reader.Read();
                    if (isContinue && reader.TokenType == JsonTokenType.String)
                    {
                        continueToken = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("the body ends too early or has more than one JSON value", null, 0, reader.BytesConsumed);
        }

        // Only objects are nodes; anything else in items is ignored like an unknown field.
        items.RemoveAll(r => r.Start.Value == r.End.Value);
        return (items, string.IsNullOrEmpty(continueToken) ? null : continueToken, hasItems);
    }
}

/// <summary>
/// The driver's one buffer for raw pages, reused from page to page and snapshot to snapshot (a
/// page is a few MB: allocating one per page would put each on the large object heap).
/// </summary>
internal sealed class PageBuffer
{
    public byte[] Bytes { get; private set; } = new byte[1 << 20];

    /// <summary>Doubles the buffer, keeping its first <paramref name="used"/> bytes.</summary>
    public void Grow(int used)
    {
        var larger = new byte[Bytes.Length * 2];
        Bytes.AsSpan(0, used).CopyTo(larger);
        Bytes = larger;
    }
}
