using System.Collections.Immutable;
using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// One graph version's live, real resources (what <c>/v1/resources/</c> lists) by the values its
/// requests filter on most: <c>vitrage_type</c>, <c>state</c> and <c>name</c>. Each value maps to
/// the keys of the resources that have it, in key order (the order the list answers in), so a
/// filtered list reads only the vertices that can match instead of every vertex of the version.
/// Immutable and shared between versions like the vertices: a version changes only the entries of
/// the vertices whose membership or values changed (a snapshot that reports the same nodes changes
/// nothing here). A value held by one key (most names) maps to that key itself, not to a set of one:
/// at 65,000 nodes a set per name would be a third of the index's memory.
/// </summary>
internal sealed class ResourceIndex
{
    // value → the key holding it (a string) or the keys (an ImmutableSortedSet<string>, two or more).
    private static readonly ImmutableDictionary<string, object> NoValues = ImmutableDictionary.Create<string, object>(StringComparer.Ordinal);

    private readonly ImmutableDictionary<string, object>[] _fields;

    private ResourceIndex(ImmutableDictionary<string, object>[] fields) => _fields = fields;

    public static ResourceIndex Empty { get; } = new([NoValues, NoValues, NoValues]);

    /// <summary>No key: what an absent value selects.</summary>
    public static ImmutableSortedSet<string> NoKeys { get; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether the index holds the vertex: live, real resources, Vitrage's RESOURCES_ALL_QUERY (the
    /// API's <c>VertexFilters.Resource</c> is this rule).
    /// </summary>
    public static bool Holds(VertexView vertex) =>
        !vertex.IsDeleted && !vertex.IsPlaceholder && vertex.Category == EntityCategories.Resource;

    /// <summary>The keys of the held resources whose <paramref name="field"/> is <paramref name="value"/>, in ordinal key order.</summary>
    public IReadOnlyCollection<string> Keys(ResourceIndexField field, string value) =>
        _fields[(int)field].GetValueOrDefault(value) switch
        {
            string key => [key],
            ImmutableSortedSet<string> keys => keys,
            _ => NoKeys,
        };

    /// <summary>The distinct values of <paramref name="field"/> among the held resources (for tests and measurements).</summary>
    public IEnumerable<string> Values(ResourceIndexField field) => _fields[(int)field].Keys;

    public Builder ToBuilder() => new(this);

    private static string? ValueOf(VertexView vertex, ResourceIndexField field) => field switch
    {
        ResourceIndexField.Type => vertex.Type,
        ResourceIndexField.State => vertex.State,
        _ => vertex.Name,
    };

    /// <summary>The next version's index: the previous one plus the vertices that changed.</summary>
    internal sealed class Builder
    {
        private readonly FieldBuilder[] _fields;

        public Builder(ResourceIndex from) => _fields = [.. from._fields.Select(f => new FieldBuilder(f))];

        /// <summary>A vertex changed from <paramref name="before"/> (absent: new) to <paramref name="after"/> (absent: purged).</summary>
        public void Replace(VertexView? before, VertexView? after)
        {
            var was = before is not null && Holds(before) ? before : null;
            var now = after is not null && Holds(after) ? after : null;
            if (was is null && now is null)
            {
                return;
            }

            var key = (was ?? now)!.Key;
            for (var i = 0; i < _fields.Length; i++)
            {
                var field = (ResourceIndexField)i;
                _fields[i].Move(key, was is null ? null : ValueOf(was, field), now is null ? null : ValueOf(now, field));
            }
        }

        public ResourceIndex ToImmutable() => new([.. _fields.Select(f => f.ToImmutable())]);
    }

    // One field's value → keys; only the values a version touches are edited. A value the earlier
    // version holds is edited in a sorted-set builder, in place; a value it does not hold (every
    // value of a first version: 65,000 names at 65,000 nodes) collects its keys in a list, sorted
    // once when the version is made. A builder per new value cost a third of a cold 65,000-node
    // snapshot's final publication.
    private sealed class FieldBuilder(ImmutableDictionary<string, object> from)
    {
        // value → List<string> (a value `from` does not hold) or ImmutableSortedSet<string>.Builder.
        private Dictionary<string, object>? _touched;

        public void Move(string key, string? was, string? now)
        {
            if (string.Equals(was, now, StringComparison.Ordinal))
            {
                return;
            }

            if (was is not null)
            {
                Edit(Touch(was), key, add: false);
            }

            if (now is not null)
            {
                Edit(Touch(now), key, add: true);
            }
        }

        public ImmutableDictionary<string, object> ToImmutable()
        {
            if (_touched is null)
            {
                return from;
            }

            var values = from.ToBuilder();
            foreach (var (value, touched) in _touched)
            {
                var keys = touched switch
                {
                    List<string> added => KeysOf(added),
                    ImmutableSortedSet<string>.Builder held => KeysOf(held),
                    _ => null,
                };
                if (keys is null)
                {
                    values.Remove(value);
                }
                else
                {
                    values[value] = keys;
                }
            }

            return values.ToImmutable();
        }

        private static void Edit(object keys, string key, bool add)
        {
            switch (keys)
            {
                case List<string> added when add:
                    added.Add(key);
                    break;
                case List<string> added:
                    added.Remove(key);
                    break;
                case ImmutableSortedSet<string>.Builder held when add:
                    held.Add(key);
                    break;
                case ImmutableSortedSet<string>.Builder held:
                    held.Remove(key);
                    break;
            }
        }

        // What the index holds for a value: nothing, its one key, or its keys in order.
        private static object? KeysOf(List<string> added) => added.Count switch
        {
            0 => null,
            1 => added[0],
            _ => ImmutableSortedSet.CreateRange(StringComparer.Ordinal, added), // sorts once, builds the tree from its leaves
        };

        private static object? KeysOf(ImmutableSortedSet<string>.Builder held) => held.Count switch
        {
            0 => null,
            1 => held.Min!,
            _ => held.ToImmutable(),
        };

        private object Touch(string value)
        {
            _touched ??= new Dictionary<string, object>(StringComparer.Ordinal);
            if (!_touched.TryGetValue(value, out var keys))
            {
                keys = from.GetValueOrDefault(value) switch
                {
                    string key => NoKeys.Add(key).ToBuilder(),
                    ImmutableSortedSet<string> held => held.ToBuilder(),
                    _ => new List<string>(),
                };
                _touched.Add(value, keys);
            }

            return keys;
        }
    }
}

/// <summary>The vertex values a <see cref="ResourceIndex"/> maps (their Vitrage property names in <see cref="VertexProperties"/>).</summary>
internal enum ResourceIndexField
{
    Type,
    State,
    Name,
}
