using System.Runtime.InteropServices;
using System.Text.Json;
using PluginHost.Contracts;
using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

public sealed class UnchangedPropertyValuesTests
{
    private static JsonElement Json(string text) => JsonElement.Parse(text);

    private static Utf8JsonValue Utf8(string text) => Utf8JsonValue.Parse(System.Text.Encoding.UTF8.GetBytes(text));

    // A string built at run time: equal to a literal, never the same instance.
    private static string Text(string text) => new(text.AsSpan());

    public static TheoryData<string, object?, object?, bool> Values => new()
    {
        { "an equal string", "Ready", Text("Ready"), true },
        { "another string", "Ready", Text("NotReady"), false },
        { "a string differing in case", "ready", Text("Ready"), false },
        { "an equal JSON object", Json("""{"a":"1","b":[1,2]}"""), Json("""{"a":"1","b":[1,2]}"""), true },
        { "a JSON object with another value", Json("""{"a":"1"}"""), Json("""{"a":"2"}"""), false },
        { "a JSON object written otherwise", Json("""{"a":"1","b":"2"}"""), Json("""{"b":"2","a":"1"}"""), false },
        { "a JSON string and a string", Json("\"x\""), Text("x"), false },
        { "a JSON number and a JSON string", Json("1"), Json("\"1\""), false },
        { "JSON text with the same bytes", Utf8("""{"a":"1","b":[1,2]}"""), Utf8("""{"a":"1","b":[1,2]}"""), true },
        { "JSON text with other bytes", Utf8("""{"a":"1"}"""), Utf8("""{"a":"2"}"""), false },
        { "JSON text and an equal JSON element", Utf8("""{"a":"1"}"""), Json("""{"a":"1"}"""), false },
        { "equal numbers, boxed", 5L, 5L, false },
        { "null held", null, Text("x"), false },
        { "null described", Text("x"), null, false },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Keep_OneValue_KeepsTheHeldInstanceOnlyWhenEqual(string name, object? held, object? described, bool kept)
    {
        var heldProperties = new Dictionary<string, object?>(StringComparer.Ordinal) { ["other"] = "o", ["value"] = held };
        var describedProperties = new Dictionary<string, object?>(StringComparer.Ordinal) { ["value"] = described, ["new"] = "n" };

        var result = UnchangedPropertyValues.Keep(heldProperties, describedProperties);

        result.Keys.ShouldBe(["value", "new"], name);
        SameInstance(result["value"], held).ShouldBe(kept, name);
        SameInstance(result["value"], described).ShouldBe(!kept, name);
        if (!kept)
        {
            result.ShouldBeSameAs(describedProperties, name); // nothing to keep: the transformer's dictionary as it is
        }
    }

    [Fact]
    public void Keep_SomeValuesEqual_CopiesInOrderWithTheSameComparerAndLeavesTheTransformersDictionary()
    {
        var labels = Json("""{"zone":"a"}""");
        var held = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["name"] = "n1", ["labels"] = labels, ["state"] = "Ready" };
        var described = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["state"] = Text("NotReady"),
            ["labels"] = Json("""{"zone":"a"}"""),
            ["name"] = Text("n1"),
            ["added"] = 1,
        };
        var describedBefore = described.ToList();

        var result = UnchangedPropertyValues.Keep(held, described);

        result.Keys.ShouldBe(["state", "labels", "name", "added"]);
        result["state"].ShouldBe("NotReady");
        SameInstance(result["labels"], labels).ShouldBeTrue();
        result["name"].ShouldBeSameAs(held["name"]);
        result["added"].ShouldBe(1);
        result.ShouldBeOfType<Dictionary<string, object?>>().Comparer.ShouldBe(StringComparer.OrdinalIgnoreCase);
        described.ToList().ShouldBe(describedBefore); // the transformer's dictionary is never changed
    }

    private static readonly Dictionary<string, object?> Shared = new() { ["name"] = "n1" };

    public static TheoryData<string, IReadOnlyDictionary<string, object?>, IReadOnlyDictionary<string, object?>> Dictionaries => new()
    {
        { "nothing held", new Dictionary<string, object?>(), new Dictionary<string, object?> { ["name"] = "n1" } },
        { "the same dictionary again", Shared, Shared },
        { "a read-only dictionary of the transformer's own", Shared, new System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>(new Dictionary<string, object?> { ["name"] = Text("n1") }) },
    };

    [Theory]
    [MemberData(nameof(Dictionaries))]
    public void Keep_NothingToCompareOrCopy_ReturnsTheDescribedDictionary(string name, IReadOnlyDictionary<string, object?> held, IReadOnlyDictionary<string, object?> described)
    {
        UnchangedPropertyValues.Keep(held, described).ShouldBeSameAs(described, name);
    }

    [Fact]
    public void Keep_UndefinedJsonValues_KeepsNothingAndDoesNotThrow()
    {
        var held = new Dictionary<string, object?> { ["labels"] = default(JsonElement) };
        var described = new Dictionary<string, object?> { ["labels"] = default(JsonElement) };

        UnchangedPropertyValues.Keep(held, described).ShouldBeSameAs(described);
    }

    [Fact]
    public void Keep_HeldDocumentDisposed_TakesTheNewValue()
    {
        var document = JsonDocument.Parse("""{"a":1}""");
        var held = new Dictionary<string, object?> { ["labels"] = document.RootElement };
        document.Dispose();
        var described = new Dictionary<string, object?> { ["labels"] = Json("""{"a":1}""") };

        UnchangedPropertyValues.Keep(held, described).ShouldBeSameAs(described);
    }

    private static bool SameInstance(object? value, object? expected) => (value, expected) switch
    {
        (JsonElement a, JsonElement b) => JsonMarshal.GetRawUtf8Value(a).Overlaps(JsonMarshal.GetRawUtf8Value(b)),
        (null, null) => true,
        _ => ReferenceEquals(value, expected),
    };
}
