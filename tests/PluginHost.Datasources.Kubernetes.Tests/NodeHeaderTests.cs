using System.Text;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// What the driver reads of a raw node without parsing it into a document: the same fields, in
/// any order, among any other fields, and nothing from the wrong place.
/// </summary>
public sealed class NodeHeaderTests
{
    private const string Full = """
        {"kind":"Node","metadata":{"name":"n1","labels":{"uid":"not-this"},"uid":"u-1","resourceVersion":"42"},
         "spec":{"podCIDR":"10.0.0.0/24","providerID":"openstack:///i-1","externalID":"e-1","taints":[{"key":"uid"}]},
         "status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"machineID":"m","systemUUID":"S-1"},"images":[{"names":["a"]}]}}
        """;

    // expected: uid, name, resourceVersion, providerID, externalID, systemUUID
    public static TheoryData<string, string, string?[]> Nodes => new()
    {
        { "every field", Full, F("u-1", "n1", "42", "openstack:///i-1", "e-1", "S-1") },
        {
            "status and spec before metadata",
            """{"status":{"nodeInfo":{"systemUUID":"S-2"}},"spec":{"providerID":"p"},"metadata":{"resourceVersion":"7","uid":"u-2","name":"n2"}}""",
            F("u-2", "n2", "7", "p", null, "S-2")
        },
        { "no metadata", """{"spec":{"providerID":"p"}}""", F(null, null, null, "p", null, null) },
        { "metadata not an object", """{"metadata":12,"spec":[1,{"providerID":"x"}],"status":"up"}""", None },
        {
            "fields that are not strings",
            """{"metadata":{"uid":7,"name":{"first":"n"},"resourceVersion":null},"spec":{"providerID":true,"externalID":["e"]}}""",
            None
        },
        { "same names deeper are not the node's", """{"metadata":{"annotations":{"uid":"a","name":"b"}},"status":{"systemUUID":"no","nodeInfo":{"x":{"systemUUID":"no"}}}}""", None },
        { "escaped text is decoded", """{"metadata":{"uid":"u\u002d3","name":"caf\u00e9"}}""", F("u-3", "café", null, null, null, null) },
        { "a lone surrogate escape is no value", """{"metadata":{"uid":"\ud800","name":"n4"}}""", F(null, "n4", null, null, null, null) },
        { "not an object", """["metadata"]""", None },
        { "not JSON", """{"metadata":{"uid":""", None },
    };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void Read_Node_GivesItsOwnFieldsOnly(string name, string json, string?[] expected)
    {
        _ = name;
        var header = NodeHeader.Read(Encoding.UTF8.GetBytes(json));
        new[] { header.Uid, header.Name, header.ResourceVersion, header.ProviderId, header.ExternalId, header.SystemUuid }.ShouldBe(expected);
    }

    private static readonly string?[] None = new string?[6];

    private static string?[] F(string? uid, string? name, string? resourceVersion, string? providerId, string? externalId, string? systemUuid) =>
        [uid, name, resourceVersion, providerId, externalId, systemUuid];

    [Fact]
    public void Read_InvalidUtf8InAField_GivesNoValueForItAndTheRestStill()
    {
        var json = Encoding.UTF8.GetBytes("""{"metadata":{"uid":"u-5","name":"XX"}}""");
        var at = Array.IndexOf(json, (byte)'X');
        json[at] = 0xC3; // a lead byte followed by 'X': not UTF-8
        NodeHeader.Read(json).ShouldBe(new NodeHeader("u-5", null, null, null, null, null));
    }

    [Fact]
    public async Task ReadAsync_PageWithNodesAndOtherItems_GivesEachNodesHeaderBesideItsBytes()
    {
        var body = $$$"""{"kind":"NodeList","metadata":{"resourceVersion":"9","continue":"c"},"items":[{{{Full}}},17,"x",{"metadata":{"uid":"u-2"}},null,{}]}""";

        var page = await NodeListPage.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(body)), new PageBuffer(1 << 20), TestContext.Current.CancellationToken);

        page.Count.ShouldBe(3);
        page.Header(0).ShouldBe(new NodeHeader("u-1", "n1", "42", "openstack:///i-1", "e-1", "S-1"));
        Encoding.UTF8.GetString(page.Item(0)).ShouldBe(Full);
        page.Header(1).ShouldBe(new NodeHeader("u-2", null, null, null, null, null));
        Encoding.UTF8.GetString(page.Item(1)).ShouldBe("""{"metadata":{"uid":"u-2"}}""");
        page.Header(2).ShouldBe(default);
        page.ContinueToken.ShouldBe("c");
        page.ResourceVersion.ShouldBe("9");
    }

    // Kubernetes never repeats a name, but a proxy or a hand-made body may: the header must then
    // name the node the transformer reads (the parsed document takes the last of duplicate names),
    // or the host would skip or key a node by a uid the transformer never sees.
    public static TheoryData<string, string> Duplicates => new()
    {
        { "metadata twice", """{"metadata":{"uid":"u-1","name":"n1","resourceVersion":"1"},"metadata":{"name":"n2"}}""" },
        { "metadata then not an object", """{"metadata":{"uid":"u-1","resourceVersion":"1"},"metadata":7}""" },
        { "spec twice", """{"metadata":{"uid":"u"},"spec":{"providerID":"p","externalID":"e"},"spec":{}}""" },
        { "status twice", """{"metadata":{"uid":"u"},"status":{"nodeInfo":{"systemUUID":"S"}},"status":{"phase":"x"}}""" },
        { "nodeInfo twice", """{"metadata":{"uid":"u"},"spec":{"providerID":"p"},"status":{"nodeInfo":{"systemUUID":"S"},"nodeInfo":[]}}""" },
        { "a field twice", """{"metadata":{"uid":"u-1","uid":"u-2","name":"a","name":5}}""" },
    };

    [Theory]
    [MemberData(nameof(Duplicates))]
    public void Read_RepeatedMember_AgreesWithTheParsedNode(string name, string json)
    {
        _ = name;
        var node = System.Text.Json.JsonDocument.Parse(json).RootElement;
        var metadata = ParsedNodeLookups.Child(node, "metadata");
        var spec = ParsedNodeLookups.Child(node, "spec");
        var nodeInfo = ParsedNodeLookups.Child(ParsedNodeLookups.Child(node, "status"), "nodeInfo");
        var expected = new NodeHeader(ParsedNodeLookups.Text(metadata, "uid"), ParsedNodeLookups.Text(metadata, "name"),
            ParsedNodeLookups.Text(metadata, "resourceVersion"), ParsedNodeLookups.Text(spec, "providerID"),
            ParsedNodeLookups.Text(spec, "externalID"), ParsedNodeLookups.Text(nodeInfo, "systemUUID"));

        NodeHeader.Read(Encoding.UTF8.GetBytes(json)).ShouldBe(expected);

        // The transformer's own reader of the whole event reads the same node.
        var fields = NodeFieldsReader.Read(Encoding.UTF8.GetBytes($$"""{"cluster_name":"c","node":{{json}}}"""));
        new NodeHeader(fields.Uid, fields.Name, fields.ResourceVersion, fields.ProviderId, fields.ExternalId, fields.SystemUuid).ShouldBe(expected);
    }
}
