using System.Text;
using System.Text.Json;

namespace PluginHost.Contracts.Tests;

public sealed class Utf8JsonValueTests
{
    public static TheoryData<string, string, JsonValueKind> Values => new()
    {
        { "object", """{"cpu":"2","pods":"110"}""", JsonValueKind.Object },
        { "array", """[{"type":"Ready","status":"True"}]""", JsonValueKind.Array },
        { "string", "\"caf\\u00e9\"", JsonValueKind.String },
        { "number", "-1.5e3", JsonValueKind.Number },
        { "true", "true", JsonValueKind.True },
        { "false", "false", JsonValueKind.False },
        { "null", "null", JsonValueKind.Null },
        { "white space around", " \n[1, 2]\t ", JsonValueKind.Array },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Parse_OneJsonValue_KeepsItsBytesAndKind(string name, string json, JsonValueKind kind)
    {
        _ = name;
        var value = Utf8JsonValue.Parse(Encoding.UTF8.GetBytes(json));

        value.ValueKind.ShouldBe(kind);
        value.ToString().ShouldBe(json.Trim()); // the value without the white space around it
        value.ToElement().ValueKind.ShouldBe(kind);
        value.ToElement().GetRawText().ShouldBe(json.Trim());
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void FromElement_ValueOfAParsedDocument_EqualsWhatParseMakesOfIt(string name, string json, JsonValueKind kind)
    {
        _ = name;
        // The element inside a document, with other members and white space around it.
        using var document = JsonDocument.Parse($$"""{ "before": 1, "value": {{json}} , "after": [] }""");

        var value = Utf8JsonValue.FromElement(document.RootElement.GetProperty("value"));

        value.ValueKind.ShouldBe(kind);
        value.ToString().ShouldBe(json.Trim());
        value.ShouldBe(Utf8JsonValue.Parse(Encoding.UTF8.GetBytes(json)));
    }

    public static TheoryData<string, string, string> LenientDocuments => new()
    {
        { "a comment", """{"v": {"a": 1, /* why */ "b": [2]}}""", """{"a":1,"b":[2]}""" },
        { "a line comment", "{\"v\": [1, // one\n 2]}", "[1,2]" },
        { "trailing commas", """{"v": {"a": [1, 2, ], "b": 3, }}""", """{"a":[1,2],"b":3}""" },
        { "valid, \"//\" and \",]\" in strings: kept as written", """{"v": {"url": "http://h/p", "odd": "a, ]"}}""", """{"url": "http://h/p", "odd": "a, ]"}""" },
        { "valid, a label's slash: copied as written", """{"v": {"topology.kubernetes.io/zone": "z1",  "x": [ 1 ]}}""", """{"topology.kubernetes.io/zone": "z1",  "x": [ 1 ]}""" },
    };

    [Theory]
    [MemberData(nameof(LenientDocuments))]
    public void FromElement_DocumentParsedLeniently_ValueIsValidJsonWithoutCommentsOrTrailingCommas(string name, string json, string expected)
    {
        _ = name;
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        var value = Utf8JsonValue.FromElement(document.RootElement.GetProperty("v"));

        value.ToString().ShouldBe(expected);
        Utf8JsonValue.Parse(Encoding.UTF8.GetBytes(value.ToString())).ShouldBe(value); // strict JSON
        value.ToElement().ValueKind.ShouldBe(document.RootElement.GetProperty("v").ValueKind);
    }

    [Fact]
    public void FromElement_DocumentDisposedAfterwards_ValueKeepsItsOwnCopy()
    {
        Utf8JsonValue value;
        using (var document = JsonDocument.Parse("""{"labels":{"zone":"a"}}"""))
        {
            value = Utf8JsonValue.FromElement(document.RootElement.GetProperty("labels"));
        }

        using var reused = JsonDocument.Parse("""{"labels":{"zone":"b"}}"""); // may reuse the pooled memory

        value.ToString().ShouldBe("""{"zone":"a"}""");
    }

    public static TheoryData<string, Func<JsonElement>, Type> UnusableElements => new()
    {
        { "the default element", () => default, typeof(ArgumentException) },
        { "an element of a disposed document", Disposed, typeof(ObjectDisposedException) },
    };

    [Theory]
    [MemberData(nameof(UnusableElements))]
    public void FromElement_UnusableElement_Throws(string name, Func<JsonElement> element, Type exception)
    {
        _ = name;
        Should.Throw(() => Utf8JsonValue.FromElement(element()), exception);
    }

    private static JsonElement Disposed()
    {
        var document = JsonDocument.Parse("[1]");
        var root = document.RootElement;
        document.Dispose();
        return root;
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "empty", "" },
        { "white space only", "  " },
        { "two values", """{"a":"s3cr3t"} {"b":1}""" },
        { "truncated", """{"password":"s3cr3t""" },
        { "a comment", """/* s3cr3t */ {"a":1}""" },
        { "trailing comma", """{"token":"s3cr3t",}""" },
        { "not JSON", "s3cr3t" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_NotExactlyOneJsonValue_ThrowsWithoutQuotingTheInput(string name, string json)
    {
        _ = name;
        var error = Should.Throw<JsonException>(() => Utf8JsonValue.Parse(Encoding.UTF8.GetBytes(json)));

        error.GetType().ShouldBe(typeof(JsonException)); // the type callers catch, not System.Text.Json's internal one
        error.Message.ShouldNotContain("s3cr3t");
        error.Message.ShouldNotContain("'s'");
        error.InnerException.ShouldBeNull();
    }

    [Fact]
    public void Parse_CallerChangesItsBuffer_ValueKeepsItsOwnCopy()
    {
        var buffer = Encoding.UTF8.GetBytes("""{"a":1}""");
        var value = Utf8JsonValue.Parse(buffer);

        buffer[5] = (byte)'2';

        value.ToString().ShouldBe("""{"a":1}""");
    }

    [Fact]
    public void Equals_SameBytes_EqualWithEqualHashes_OtherBytesNot()
    {
        var a = Utf8JsonValue.Parse("""{"a":1}"""u8);
        var same = Utf8JsonValue.Parse("""{"a":1}"""u8);
        var spaced = Utf8JsonValue.Parse("""{"a": 1}"""u8);

        a.Equals(same).ShouldBeTrue();
        a.Equals((object)same).ShouldBeTrue();
        a.GetHashCode().ShouldBe(same.GetHashCode());
        a.Equals(spaced).ShouldBeFalse(); // written differently: only ever kept as a new value, never wrong
        a.Equals(null).ShouldBeFalse();
    }

    [Fact]
    public void Serialize_ValueOrInsideAMap_WritesTheJsonItHolds()
    {
        var value = Utf8JsonValue.Parse("""[{"type":"Ready","message":"caf\u00e9 <ok>"}]"""u8);
        var properties = new Dictionary<string, object?> { ["conditions"] = value, ["name"] = "n1" };

        JsonSerializer.Serialize(value).ShouldBe("""[{"type":"Ready","message":"caf\u00e9 <ok>"}]""");
        JsonSerializer.Serialize(properties).ShouldBe("""{"conditions":[{"type":"Ready","message":"caf\u00e9 <ok>"}],"name":"n1"}""");
        JsonSerializer.Deserialize<Utf8JsonValue>(""" {"b": [true]} """)!.ToString().ShouldBe("""{"b":[true]}""");
        var lenient = new JsonSerializerOptions { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonSerializer.Deserialize<Utf8JsonValue>("""{"b": [true, /* c */ ],}""", lenient)!.ToString().ShouldBe("""{"b":[true]}""");
    }

    [Fact]
    public void WriteTo_Writer_WritesTheBytesAsTheyAre()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("labels");
            Utf8JsonValue.Parse("""{"zone":"az-1"}"""u8).WriteTo(writer);
            writer.WriteEndObject();
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).ShouldBe("""{"labels":{"zone":"az-1"}}""");
    }
}
