using System.Runtime.InteropServices;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Graph;

/// <summary>
/// When a datasource describes a vertex again, the property values equal to the ones the vertex
/// holds (strings, and JSON values written alike) keep the instances already held; the new ones
/// are left to die young.
/// </summary>
/// <remarks>
/// Why: a vertex lives long, so what it holds is soon in the collector's oldest generation. A
/// watched node changes one condition at a time, yet its transformer reads every label, address
/// and capacity into new values; kept, they would be promoted and the values they replace become
/// old garbage, so the collector would sweep the whole graph more often (under a watch's steady
/// changes most of the host's collection work, bench/README.md). The Kubernetes transformer makes
/// each structured property (conditions, labels, capacity, ...) a <see cref="Utf8JsonValue"/> of its
/// own, so a change of conditions keeps the held labels; a <see cref="JsonElement"/> keeps its
/// whole document alive, so it pays off only when every value of that document is equal.
/// The transformer's dictionary is never changed (it may be shared): a copy is made when a value
/// is kept, in the same order and with the same comparer.
/// </remarks>
internal static class UnchangedPropertyValues
{
    /// <summary>
    /// <paramref name="described"/>, or a copy of it in which each value equal to the one
    /// <paramref name="held"/> has under the same name is that held instance.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Keep(IReadOnlyDictionary<string, object?> held, IReadOnlyDictionary<string, object?> described)
    {
        if (held.Count == 0 || ReferenceEquals(held, described) || described is not Dictionary<string, object?> next || !AnyKept(held, next))
        {
            return described;
        }

        var copy = new Dictionary<string, object?>(next.Count, next.Comparer);
        foreach (var (name, value) in next)
        {
            copy.Add(name, held.TryGetValue(name, out var old) && Same(old, value) ? old : value);
        }

        return copy;
    }

    private static bool AnyKept(IReadOnlyDictionary<string, object?> held, Dictionary<string, object?> next)
    {
        foreach (var (name, value) in next)
        {
            if (held.TryGetValue(name, out var old) && !ReferenceEquals(old, value) && Same(old, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Same(object? held, object? value) => (held, value) switch
    {
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (JsonElement a, JsonElement b) => SameJson(a, b),
        (Utf8JsonValue a, Utf8JsonValue b) => a.Equals(b),
        _ => false,
    };

    // Written alike is equal (a transformer writes its documents the same way each time); a value
    // written differently is only kept as new, which is never wrong.
    private static bool SameJson(JsonElement held, JsonElement value)
    {
        try
        {
            return held.ValueKind == value.ValueKind && held.ValueKind != JsonValueKind.Undefined // an element of no document
                && JsonMarshal.GetRawUtf8Value(held).SequenceEqual(JsonMarshal.GetRawUtf8Value(value));
        }
        catch (ObjectDisposedException)
        {
            return false; // a document its transformer disposed: nothing to keep
        }
    }
}
