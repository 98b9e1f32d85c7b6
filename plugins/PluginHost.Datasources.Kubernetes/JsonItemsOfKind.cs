using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes;

/// <summary>
/// The items of one kind in a JSON array of a raw node, in order: none when the element is no
/// array, items of another kind skipped (a tolerant reader: a partial or odd node never throws).
/// A struct enumerator, so reading a node's conditions, taints or CIDRs on each of its watched
/// changes allocates nothing (LINQ over an <see cref="JsonElement.ArrayEnumerator"/> boxes it).
/// </summary>
internal struct JsonItemsOfKind(JsonElement list, JsonValueKind kind)
{
    private readonly bool _isArray = list.ValueKind == JsonValueKind.Array;
    private JsonElement.ArrayEnumerator _items = list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : default;

    public readonly JsonElement Current => _items.Current;

    public readonly JsonItemsOfKind GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_isArray && _items.MoveNext())
        {
            if (_items.Current.ValueKind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether there is at least one such item (this enumerator does not move).</summary>
    public readonly bool Any()
    {
        var probe = this;
        return probe.MoveNext();
    }
}
