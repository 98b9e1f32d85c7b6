using System.Buffers;
using System.Text;
using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Outputs;

namespace PluginHost.Tests.Outputs;

public sealed class VertexJsonTests
{
    private static Utf8JsonValue Utf8(string text) => Utf8JsonValue.Parse(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, object?, string> Values => new()
    {
        { "JSON text, as it is", Utf8("""[{"type":"Ready","message":"caf\u00e9 <ok>"}]"""), """[{"type":"Ready","message":"caf\u00e9 <ok>"}]""" },
        { "JSON text in a list", new List<object?> { Utf8("""{"zone":"a"}"""), "b" }, """[{"zone":"a"},"b"]""" },
        { "JSON text in a map", new Dictionary<string, object?> { ["labels"] = Utf8("""{"zone":"a"}""") }, """{"labels":{"zone":"a"}}""" },
        { "a JSON string held as text", Utf8("\"x\""), "\"x\"" },
        { "a JSON element", JsonElement.Parse("""{"a":[1,2]}"""), """{"a":[1,2]}""" },
        { "a string", "n1", "\"n1\"" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void WriteValue_PropertyValue_WritesItsJson(string name, object? value, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            VertexJson.WriteValue(writer, value);
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).ShouldBe(expected, name);
    }
}
