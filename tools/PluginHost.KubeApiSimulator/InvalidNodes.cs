using System.Text.Json;
using System.Text.Json.Nodes;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// Nodes no real API server should send but a broken proxy, a corrupted etcd or a buggy
/// aggregated server can: a client must skip them and still complete its list. Their names sort
/// after generated nodes, so the uid they repeat belongs to a node listed before them.
/// </summary>
internal static class InvalidNodes
{
    public const string InvalidUtf8 = "zz-invalid-utf8";
    public const string WithoutUid = "zz-without-uid";
    public const string DuplicateUid = "zz-duplicate-uid";

    // Placeholder replaced by bytes that are not UTF-8 (0xC3 must be followed by 0x80-0xBF).
    private const string Marker = "@@not-utf8@@";

    public static void AddTo(NodeStore nodes)
    {
        var firstUid = nodes.Names.Select(nodes.Get).Select(n => n?["metadata"]?["uid"]?.GetValue<string>()).FirstOrDefault(u => u is not null);
        var invalid = JsonSerializer.SerializeToUtf8Bytes(Node(InvalidUtf8, "00000000-0000-4000-8000-00000000bad8", Marker));
        nodes.AddRaw(InvalidUtf8, Replace(invalid, System.Text.Encoding.UTF8.GetBytes(Marker), [0xC3, 0x28]));
        nodes.AddRaw(WithoutUid, JsonSerializer.SerializeToUtf8Bytes(Node(WithoutUid, uid: null, label: "ok")));
        if (firstUid is not null)
        {
            nodes.AddRaw(DuplicateUid, JsonSerializer.SerializeToUtf8Bytes(Node(DuplicateUid, firstUid, "ok")));
        }
    }

    private static JsonObject Node(string name, string? uid, string label)
    {
        var metadata = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["broken"] = label } };
        if (uid is not null)
        {
            metadata["uid"] = uid;
        }

        return new JsonObject { ["kind"] = "Node", ["apiVersion"] = "v1", ["metadata"] = metadata };
    }

    private static byte[] Replace(byte[] json, byte[] marker, byte[] with)
    {
        var at = json.AsSpan().IndexOf(marker);
        return [.. json.AsSpan(0, at), .. with, .. json.AsSpan(at + marker.Length)];
    }
}
