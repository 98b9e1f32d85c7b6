using System.Collections;
using System.Globalization;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Api.Query;

/// <summary>
/// Equality and order of property values as Python compares them in Vitrage's query predicates:
/// numbers (booleans count as 0 and 1) numerically, strings by code point, lists element by
/// element; <c>==</c> between different kinds is false. Where Python raises a TypeError (ordering
/// <c>None</c>, a string against a number, dicts), <see cref="Compare"/> returns <c>null</c> and the
/// comparison does not match, instead of Vitrage's 500. Values are the transformers' own (strings,
/// numbers, booleans, lists, maps), <see cref="JsonElement"/>s or <see cref="Utf8JsonValue"/>s (read
/// as the element they parse into).
/// </summary>
internal static class PythonValues
{
    private enum Kind
    {
        Null,
        Number,
        String,
        List,
        Map,
        Other,
    }

    public static bool AreEqual(object? left, object? right)
    {
        (left, right) = (Readable(left), Readable(right));
        var (leftKind, rightKind) = (KindOf(left), KindOf(right));
        if (leftKind != rightKind)
        {
            return false;
        }

        return leftKind switch
        {
            Kind.Null => true,
            Kind.Number => NumberCompare(left!, right!) == 0,
            Kind.String => string.Equals(AsString(left!), AsString(right!), StringComparison.Ordinal),
            Kind.List => ListCompare(left!, right!, equalityOnly: true) == 0,
            Kind.Map => MapsEqual(left!, right!),
            _ => Equals(left, right),
        };
    }

    /// <summary>Negative, zero or positive as Python orders them; <c>null</c> where Python raises.</summary>
    public static int? Compare(object? left, object? right)
    {
        (left, right) = (Readable(left), Readable(right));
        var (leftKind, rightKind) = (KindOf(left), KindOf(right));
        if (leftKind != rightKind)
        {
            return null;
        }

        return leftKind switch
        {
            Kind.Number => NumberCompare(left!, right!),
            Kind.String => Math.Sign(string.CompareOrdinal(AsString(left!), AsString(right!))),
            Kind.List => ListCompare(left!, right!, equalityOnly: false),
            _ => null,
        };
    }

    // A property held as JSON text is compared as the element it parses into.
    private static object? Readable(object? value) => value is Utf8JsonValue json ? json.ToElement() : value;

    private static Kind KindOf(object? value) => value switch
    {
        null => Kind.Null,
        string => Kind.String,
        bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => Kind.Number,
        JsonElement element => element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => Kind.Null,
            JsonValueKind.String => Kind.String,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Kind.Number,
            JsonValueKind.Array => Kind.List,
            _ => Kind.Map,
        },
        IDictionary or IReadOnlyDictionary<string, object?> => Kind.Map,
        IEnumerable => Kind.List,
        _ => Kind.Other,
    };

    private static string AsString(object value) => value is JsonElement element ? element.GetString()! : (string)value;

    private static int NumberCompare(object left, object right)
    {
        if (AsInteger(left) is { } a && AsInteger(right) is { } b)
        {
            return a.CompareTo(b);
        }

        return AsDouble(left).CompareTo(AsDouble(right));
    }

    private static long? AsInteger(object value) => value switch
    {
        bool flag => flag ? 1 : 0,
        JsonElement { ValueKind: JsonValueKind.True } => 1,
        JsonElement { ValueKind: JsonValueKind.False } => 0,
        JsonElement element => element.TryGetInt64(out var integer) ? integer : null,
        byte or sbyte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static double AsDouble(object value) => value switch
    {
        bool flag => flag ? 1 : 0,
        JsonElement { ValueKind: JsonValueKind.True } => 1,
        JsonElement { ValueKind: JsonValueKind.False } => 0,
        JsonElement element => element.GetDouble(),
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    private static IEnumerable<object?> Items(object list) => list switch
    {
        JsonElement element => element.EnumerateArray().Select(item => (object?)item),
        IEnumerable items => items.Cast<object?>(),
        _ => [],
    };

    // Python's list order: the first unequal pair decides, else the shorter list is smaller.
    private static int? ListCompare(object left, object right, bool equalityOnly)
    {
        using var a = Items(left).GetEnumerator();
        using var b = Items(right).GetEnumerator();
        while (true)
        {
            var (hasA, hasB) = (a.MoveNext(), b.MoveNext());
            if (!hasA || !hasB)
            {
                return hasA == hasB ? 0 : hasA ? 1 : -1;
            }

            if (!AreEqual(a.Current, b.Current))
            {
                return equalityOnly ? 1 : Compare(a.Current, b.Current);
            }
        }
    }

    private static bool MapsEqual(object left, object right)
    {
        var a = Entries(left);
        var b = Entries(right);
        return a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var other) && AreEqual(entry.Value, other));
    }

    private static Dictionary<string, object?> Entries(object map) => map switch
    {
        JsonElement element => element.EnumerateObject().GroupBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (object?)g.Last().Value, StringComparer.Ordinal),
        IReadOnlyDictionary<string, object?> typed => typed.ToDictionary(StringComparer.Ordinal),
        IDictionary untyped => untyped.Keys.Cast<object>().ToDictionary(
            k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty, k => untyped[k], StringComparer.Ordinal),
        _ => [],
    };
}
