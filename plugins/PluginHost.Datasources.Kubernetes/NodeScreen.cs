using System.Text.Json;
using System.Text.Unicode;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// Keeps out of a snapshot the nodes no transformer can use — JSON that is not UTF-8, a node
/// without <c>metadata.uid</c>, a uid another node already has — and counts them, so the
/// snapshot completes and the driver warns once about what it skipped.
/// </summary>
internal sealed class NodeScreen
{
    private const int NamedAtMost = 10;

    private Dictionary<string, string> _uids = new(StringComparer.Ordinal);
    private readonly List<string> _named = [];
    private int _notUtf8;
    private int _withoutUid;
    private int _repeatedUid;

    public int Skipped => _notUtf8 + _withoutUid + _repeatedUid;

    /// <summary>Whether the raw node is UTF-8 (System.Text.Json reads invalid bytes and fails only when a string is read).</summary>
    public bool IsUtf8(ReadOnlySpan<byte> node, int page, int index)
    {
        if (Utf8.IsValid(node))
        {
            return true;
        }

        _notUtf8++;
        Name($"{NameOf(node) ?? $"item {index + 1} of page {page}"} (not UTF-8)");
        return false;
    }

    /// <summary>Whether the node <paramref name="header"/> was read from has a uid no earlier node of this snapshot had.</summary>
    public bool HasNewUid(NodeHeader header, int page, int index)
    {
        var name = header.Name ?? $"item {index + 1} of page {page}";
        if (header.Uid is not { Length: > 0 } uid)
        {
            _withoutUid++;
            Name($"{name} (no metadata.uid)");
            return false;
        }

        if (_uids.TryAdd(uid, name))
        {
            return true;
        }

        _repeatedUid++;
        Name($"{name} (uid {uid} of {_uids[uid]})");
        return false;
    }

    /// <summary>One line for the log: how many were skipped, why, and which.</summary>
    public string Describe(int listed)
    {
        var reasons = new[] { (_notUtf8, "not valid UTF-8 JSON"), (_withoutUid, "without metadata.uid"), (_repeatedUid, "repeating another node's uid") }
            .Where(r => r.Item1 > 0).Select(r => $"{r.Item1} {r.Item2}");
        var more = Skipped > _named.Count ? $", and {Skipped - _named.Count} more" : string.Empty;
        return $"skipped {Skipped} of {listed} nodes ({string.Join(", ", reasons)}): {string.Join(", ", _named)}{more}";
    }

    /// <summary>
    /// A new list (after 410 Gone) sees every node again. Returns the nodes kept so far (uid →
    /// name): they are in the snapshot already, and those the new list no longer has must be deleted.
    /// </summary>
    public IReadOnlyDictionary<string, string> Restart()
    {
        var kept = _uids;
        _uids = new Dictionary<string, string>(StringComparer.Ordinal);
        _named.Clear();
        _notUtf8 = _withoutUid = _repeatedUid = 0;
        return kept;
    }

    /// <summary>Whether a node with this uid was kept since the last <see cref="Restart"/>.</summary>
    public bool Kept(string uid) => _uids.ContainsKey(uid);

    private void Name(string what)
    {
        if (_named.Count < NamedAtMost)
        {
            _named.Add(what);
        }
    }

    // metadata.name of a node that is not UTF-8, when the name itself is readable.
    private static string? NameOf(ReadOnlySpan<byte> node)
    {
        try
        {
            var reader = new Utf8JsonReader(node);
            var depth = 0;
            var inMetadata = false;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        depth++;
                        break;
                    case JsonTokenType.EndObject:
                        depth--;
                        inMetadata = inMetadata && depth >= 2;
                        break;
                    case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals("metadata"u8):
                        inMetadata = true;
                        break;
                    case JsonTokenType.PropertyName when depth == 2 && inMetadata && reader.ValueTextEquals("name"u8):
                        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    case JsonTokenType.PropertyName when depth == 1:
                        inMetadata = false;
                        break;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
        }

        return null;
    }
}
