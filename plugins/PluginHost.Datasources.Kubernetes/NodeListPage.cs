using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// One page of <c>GET /api/v1/nodes</c>, read into the driver's page buffer and scanned once with
/// <see cref="Utf8JsonReader"/> (which validates the whole body): where each node's JSON is, its
/// <see cref="NodeHeader"/> (read in the same pass), and the continue token. Nodes are not parsed
/// into documents here; the driver copies each node's bytes into its event, which is parsed only
/// if a transformer reads it. The page is valid until the next page is read into the same buffer,
/// so the driver holds one page of raw nodes at a time.
/// </summary>
internal sealed class NodeListPage
{
    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly List<Range> _items;
    private readonly List<NodeHeader> _headers;

    private NodeListPage(byte[] buffer, int length, List<Range> items, List<NodeHeader> headers, ListMetadata metadata, bool hasItems)
    {
        _buffer = buffer;
        _length = length;
        _items = items;
        _headers = headers;
        ContinueToken = metadata.ContinueToken;
        RemainingItemCount = metadata.RemainingItemCount;
        ResourceVersion = metadata.ResourceVersion;
        HasItems = hasItems;
    }

    public string? ContinueToken { get; }

    /// <summary><c>metadata.resourceVersion</c>: the version of the list, where a watch can start.</summary>
    public string? ResourceVersion { get; }

    /// <summary><c>metadata.remainingItemCount</c>: how many nodes the server says follow this page.</summary>
    public long? RemainingItemCount { get; }

    /// <summary>Whether the body had an <c>items</c> array at all (a Kubernetes list always does).</summary>
    public bool HasItems { get; }

    public int Count => _items.Count;

    /// <summary>The body's size in bytes.</summary>
    public int Length => _length;

    /// <summary>The raw JSON of node <paramref name="index"/>, valid until the page is disposed.</summary>
    public ReadOnlySpan<byte> Item(int index) => _buffer.AsSpan(0, _length)[_items[index]];

    /// <summary>What the driver needs of node <paramref name="index"/>, read in the scan.</summary>
    public NodeHeader Header(int index) => _headers[index];

    /// <summary>
    /// Reads a whole body into <paramref name="buffer"/> (grown as needed, never past its limit)
    /// and scans it; a body over the limit throws <see cref="PageTooLargeException"/> without
    /// being read further.
    /// </summary>
    public static async Task<NodeListPage> ReadAsync(Stream body, PageBuffer buffer, CancellationToken cancellationToken)
    {
        var length = await buffer.FillAsync(body, cancellationToken).ConfigureAwait(false);
        var (items, headers, metadata, hasItems) = Scan(buffer.Bytes.AsSpan(0, length));
        return new NodeListPage(buffer.Bytes, length, items, headers, metadata, hasItems);
    }

    private static (List<Range> Items, List<NodeHeader> Headers, ListMetadata Metadata, bool HasItems) Scan(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var items = new List<Range>();
        var headers = new List<NodeHeader>();
        string? continueToken = null;
        string? resourceVersion = null;
        long? remaining = null;
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
                        // Only objects are nodes; anything else in items is ignored like an unknown field.
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }

                        var start = (int)reader.TokenStartIndex;
                        headers.Add(NodeHeader.Read(ref reader));
                        items.Add(new Range(start, (int)reader.BytesConsumed));
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
                    var isRemaining = reader.ValueTextEquals("remainingItemCount"u8);
                    var isVersion = reader.ValueTextEquals("resourceVersion"u8);
                    reader.Read();
                    if (isContinue && reader.TokenType == JsonTokenType.String)
                    {
                        continueToken = reader.GetString();
                    }
                    else if (isVersion && reader.TokenType == JsonTokenType.String)
                    {
                        resourceVersion = reader.GetString();
                    }
                    else if (isRemaining && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
                    {
                        remaining = count;
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

        return (items, headers, new ListMetadata(string.IsNullOrEmpty(continueToken) ? null : continueToken, remaining, resourceVersion), hasItems);
    }

    private readonly record struct ListMetadata(string? ContinueToken, long? RemainingItemCount, string? ResourceVersion);
}

/// <summary>
/// The driver's one buffer for raw pages, reused from page to page and snapshot to snapshot (a
/// page is a few MB: allocating one per page would put each on the large object heap). It grows
/// by doubling up to <see cref="MaxBytes"/> (<c>[kubernetes] max_page_bytes</c>) and
/// <see cref="Trim"/> gives back what an unusually large page made it take.
/// </summary>
internal sealed class PageBuffer(int maxBytes, int initialBytes = PageBuffer.InitialBytes)
{
    public const int InitialBytes = 1 << 20;

    // Pages of real nodes stay well below this; a buffer beyond it is the mark of an odd page.
    public const int RetainedBytes = 8 << 20;

    private readonly int _initialBytes = Math.Min(initialBytes, maxBytes);

    public int MaxBytes { get; } = maxBytes;

    // Allocated on the first page read: check-config creates drivers that never list, and a 1 MiB
    // buffer is 256 pages of fresh memory (bench/README.md, start-up).
    private byte[]? _bytes;

    public byte[] Bytes
    {
        get => _bytes ??= new byte[_initialBytes];
        private set => _bytes = value;
    }

    /// <summary>The bytes the buffer holds now: none before the first page.</summary>
    public int HeldBytes => _bytes?.Length ?? 0;

    /// <summary>
    /// Reads a whole body into <see cref="Bytes"/>, growing it by doubling up to
    /// <see cref="MaxBytes"/>; returns the length. A longer body throws
    /// <see cref="PageTooLargeException"/> and is not read further.
    /// </summary>
    public async Task<int> FillAsync(Stream body, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == Bytes.Length && !TryGrow(length))
            {
                // Full at the limit: one more byte means the body is too large.
                return await body.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0
                    ? throw new PageTooLargeException(MaxBytes)
                    : length;
            }

            var read = await body.ReadAsync(Bytes.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return length;
            }

            length += read;
        }
    }

    /// <summary>After a snapshot: drops a buffer that grew past <see cref="RetainedBytes"/> back to its first size.</summary>
    public void Trim()
    {
        if (_bytes is { Length: > RetainedBytes })
        {
            Bytes = new byte[_initialBytes];
        }
    }

    private bool TryGrow(int used)
    {
        if (Bytes.Length >= MaxBytes)
        {
            return false;
        }

        var larger = new byte[(int)Math.Min((long)Bytes.Length * 2, MaxBytes)];
        Bytes.AsSpan(0, used).CopyTo(larger);
        Bytes = larger;
        return true;
    }
}

/// <summary>A page (or the announced length of one) is over <c>max_page_bytes</c>.</summary>
internal sealed class PageTooLargeException(long maxBytes) : Exception($"larger than {maxBytes} bytes")
{
    public long MaxBytes { get; } = maxBytes;
}
