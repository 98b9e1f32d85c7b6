using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// A JSON tree that, unlike JsonNode, can hold a name twice in one object and write a name or a
/// string with an escape: the odd but valid input a reader of raw nodes must read as a parsed
/// document reads it. <see cref="Mutate"/> changes one random place of a tree.
/// </summary>
internal static class MutableJson
{
    public abstract class Value;

    public sealed class Object : Value
    {
        public List<(string Name, bool Escaped, Value Value)> Members { get; init; } = [];
    }

    public sealed class Array : Value
    {
        public List<Value> Items { get; init; } = [];
    }

    public sealed class Literal : Value
    {
        public string Json { get; set; } = "null";
        public bool Escaped { get; set; }
    }

    // Names the node reader looks for, and values of the kinds and texts it compares.
    private static readonly string[] Names =
    [
        "metadata", "spec", "status", "labels", "annotations", "name", "uid", "resourceVersion", "creationTimestamp", "providerID",
        "externalID", "unschedulable", "taints", "podCIDRs", "podCIDR", "addresses", "conditions", "nodeInfo", "systemUUID", "capacity",
        "allocatable", "type", "reason", "message", "lastTransitionTime", "key", "effect", "value", "timeAdded", "address",
        "node-role.kubernetes.io/worker", "node-role.kubernetes.io/", "kubernetes.io/role", "topology.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region", "x",
    ];

    private static readonly string[] Literals =
    [
        "\"x\"", "\"\"", "\"True\"", "\"False\"", "\"Unknown\"", "\"Ready\"", "\"MemoryPressure\"", "\"InternalIP\"", "\"ExternalIP\"",
        "\"Hostname\"", "\"InternalDNS\"", "\"ExternalDNS\"", "\"10.0.0.1\"", "\"2025-03-05T10:22:00Z\"", "\"openstack:///5f0c7d1e-3b7a-4c59-9a43-1d2e3f4a5b6c\"",
        "\"node.kubernetes.io/unreachable\"", "\"NoSchedule\"", "\"10.244.0.0/24\"", "\"https://x//y\"", "\"\\u00e9t\\u00e9\"",
        "17", "-1.5e3", "null", "true", "false",
    ];

    public static Value From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new Object { Members = element.EnumerateObject().Select(p => (p.Name, false, From(p.Value))).ToList() },
        JsonValueKind.Array => new Array { Items = element.EnumerateArray().Select(From).ToList() },
        _ => new Literal { Json = element.GetRawText() },
    };

    public static Value Clone(Value value) => value switch
    {
        Object o => new Object { Members = o.Members.Select(m => (m.Name, m.Escaped, Clone(m.Value))).ToList() },
        Array a => new Array { Items = a.Items.Select(Clone).ToList() },
        Literal l => new Literal { Json = l.Json, Escaped = l.Escaped },
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>One change at a random place: a member added, removed, repeated, retyped, renamed or escaped; an item added, removed or repeated; a literal replaced or escaped.</summary>
    public static void Mutate(Value root, Random random)
    {
        var places = new List<Value>();
        Collect(root, places);
        switch (places[random.Next(places.Count)])
        {
            case Object o when o.Members.Count == 0:
                o.Members.Add((Pick(Names, random), false, RandomValue(random, 0)));
                break;
            case Object o:
                var index = random.Next(o.Members.Count);
                var member = o.Members[index];
                switch (random.Next(6))
                {
                    case 0:
                        o.Members.RemoveAt(index);
                        break;
                    case 1:
                        o.Members.Insert(random.Next(index, o.Members.Count + 1),
                            (member.Name, random.Next(3) == 0, random.Next(2) == 0 ? Clone(member.Value) : RandomValue(random, 0)));
                        break;
                    case 2:
                        o.Members[index] = (member.Name, member.Escaped, RandomValue(random, 0));
                        break;
                    case 3:
                        o.Members[index] = (member.Name, true, member.Value);
                        break;
                    case 4:
                        o.Members[index] = (Pick(Names, random), member.Escaped, member.Value);
                        break;
                    default:
                        o.Members.Insert(random.Next(o.Members.Count + 1), (Pick(Names, random), random.Next(4) == 0, RandomValue(random, 0)));
                        break;
                }

                break;
            case Array a when a.Items.Count == 0 || random.Next(3) == 0:
                a.Items.Insert(random.Next(a.Items.Count + 1), RandomValue(random, 0));
                break;
            case Array a:
                var item = random.Next(a.Items.Count);
                if (random.Next(2) == 0)
                {
                    a.Items.RemoveAt(item);
                }
                else
                {
                    a.Items.Insert(item, Clone(a.Items[item]));
                }

                break;
            case Literal l when l.Json.StartsWith('"') && random.Next(2) == 0:
                l.Escaped = true;
                break;
            case Literal l:
                l.Json = Pick(Literals, random);
                l.Escaped = false;
                break;
        }
    }

    public static void Write(Value value, StringBuilder text, Random random)
    {
        switch (value)
        {
            case Object o:
                text.Append('{');
                for (var i = 0; i < o.Members.Count; i++)
                {
                    var name = JsonSerializer.Serialize(o.Members[i].Name);
                    text.Append(i > 0 ? "," : string.Empty).Append(o.Members[i].Escaped ? EscapeOne(name, random) : name).Append(':');
                    Write(o.Members[i].Value, text, random);
                }

                text.Append('}');
                break;
            case Array a:
                text.Append('[');
                for (var i = 0; i < a.Items.Count; i++)
                {
                    text.Append(i > 0 ? "," : string.Empty);
                    Write(a.Items[i], text, random);
                }

                text.Append(']');
                break;
            case Literal l:
                text.Append(l.Escaped ? EscapeOne(l.Json, random) : l.Json);
                break;
        }
    }

    private static void Collect(Value value, List<Value> places)
    {
        places.Add(value);
        foreach (var child in value switch { Object o => o.Members.Select(m => m.Value), Array a => a.Items, _ => [] })
        {
            Collect(child, places);
        }
    }

    private static Value RandomValue(Random random, int depth)
    {
        var kind = random.Next(10);
        if (depth > 2 || kind < 5)
        {
            return new Literal { Json = Pick(Literals, random) };
        }

        if (kind < 8)
        {
            var o = new Object();
            for (var i = random.Next(4); i >= 0; i--)
            {
                o.Members.Add((Pick(Names, random), false, RandomValue(random, depth + 1)));
            }

            return o;
        }

        var a = new Array();
        for (var i = random.Next(4); i >= 0; i--)
        {
            a.Items.Add(RandomValue(random, depth + 1));
        }

        return a;
    }

    private static string Pick(string[] values, Random random) => values[random.Next(values.Length)];

    // "abc" → "a\u0062c": one unescaped ASCII letter of a quoted text written as an escape.
    private static string EscapeOne(string quoted, Random random)
    {
        var letters = new List<int>();
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            if (quoted[i] == '\\')
            {
                i += quoted[i + 1] == 'u' ? 5 : 1; // not inside an escape already there
            }
            else if (char.IsAsciiLetter(quoted[i]))
            {
                letters.Add(i);
            }
        }

        if (letters.Count == 0)
        {
            return quoted;
        }

        var at = letters[random.Next(letters.Count)];
        return string.Concat(quoted.AsSpan(0, at), "\\u", ((int)quoted[at]).ToString("x4", CultureInfo.InvariantCulture), quoted.AsSpan(at + 1));
    }
}
