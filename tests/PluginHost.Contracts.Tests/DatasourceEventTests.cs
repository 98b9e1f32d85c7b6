using System.Text.Json;

namespace PluginHost.Contracts.Tests;

public sealed class DatasourceEventTests
{
    [Fact]
    public void EndOfSnapshot_Marker_CarriesTheDatasourceAndStartButNoEntity()
    {
        var started = new DateTimeOffset(2026, 11, 26, 10, 5, 3, TimeSpan.Zero);

        var marker = DatasourceEvent.EndOfSnapshot("edge-1/kubernetes", started);

        marker.IsEndOfSnapshot.ShouldBeTrue();
        marker.DatasourceName.ShouldBe("edge-1/kubernetes");
        marker.SampleTime.ShouldBe(started);
        marker.EntityType.ShouldBeEmpty();
        new DatasourceEvent("kubernetes.node", DatasourceAction.Snapshot, started, "kubernetes", JsonSerializer.SerializeToElement(new { }))
            .IsEndOfSnapshot.ShouldBeFalse();
    }

    public static TheoryData<string, string> Utf8Objects => new()
    {
        { "object", """{"node":{"metadata":{"uid":"u1"}},"cluster_name":"c"}""" },
        { "escaped text", """{"name":"caf\u00e9 \"quoted\""}""" },
        { "empty object", "{}" },
    };

    [Theory]
    [MemberData(nameof(Utf8Objects))]
    public void FromUtf8_PropertiesRead_AreTheParsedBytes(string name, string json)
    {
        _ = name;
        var e = DatasourceEvent.FromUtf8("thing", DatasourceAction.Update, default, "ds", System.Text.Encoding.UTF8.GetBytes(json));

        JsonSerializer.Serialize(e.Properties).ShouldBe(JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement));
        e.EntityType.ShouldBe("thing");
        e.Action.ShouldBe(DatasourceAction.Update);
        e.IsEndOfSnapshot.ShouldBeFalse();
    }

    public static TheoryData<string, Func<DatasourceEvent>, string?> Utf8Sources => new()
    {
        { "made from bytes", () => DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id":"a"}"""u8.ToArray()), """{"id":"a"}""" },
        { "made from bytes, read and copied", () => ReadAndCopied(DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id":"a"}"""u8.ToArray())), """{"id":"a"}""" },
        { "made from bytes, invalid", () => DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id": nope"""u8.ToArray()), """{"id": nope""" },
        { "made from an element", () => new DatasourceEvent("thing", DatasourceAction.Snapshot, default, "ds", JsonSerializer.SerializeToElement(new { id = "a" })), null },
        { "made from bytes, then given an element", () => DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id":"a"}"""u8.ToArray()) with { Properties = JsonSerializer.SerializeToElement(new { id = "b" }) }, null },
    };

    [Theory]
    [MemberData(nameof(Utf8Sources))]
    public void TryGetUtf8Properties_Event_GivesTheBytesItWasMadeFromOrNothing(string name, Func<DatasourceEvent> make, string? expected)
    {
        _ = name;
        var e = make();

        var found = e.TryGetUtf8Properties(out var utf8);

        found.ShouldBe(expected is not null);
        System.Text.Encoding.UTF8.GetString(utf8.Span).ShouldBe(expected ?? string.Empty);
    }

    private static DatasourceEvent ReadAndCopied(DatasourceEvent e)
    {
        _ = e.Properties;
        return e with { EntityVersion = "2" };
    }

    [Fact]
    public void TryGetUtf8Properties_OwnDocumentDisposed_PropertiesStillReadable()
    {
        var e = DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id":"a"}"""u8.ToArray());
        e.TryGetUtf8Properties(out var utf8).ShouldBeTrue();

        using (var own = JsonDocument.Parse(utf8))
        {
            own.RootElement.GetProperty("id").GetString().ShouldBe("a");
        }

        e.Properties.GetProperty("id").GetString().ShouldBe("a"); // the event's own parse is another document
    }

    [Fact]
    public void FromUtf8_InvalidJson_ThrowsOnlyWhenPropertiesAreRead()
    {
        var e = DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", "{\"id\": nope"u8.ToArray()) with { EntityId = "a", EntityVersion = "7" };

        e.EntityId.ShouldBe("a"); // what the host reads first works without a parse
        e.EntityVersion.ShouldBe("7");
        Should.Throw<JsonException>(() => e.Properties);
    }

    [Fact]
    public void FromUtf8_EmptyBytes_IsRefused() =>
        Should.Throw<ArgumentException>(() => DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", ReadOnlyMemory<byte>.Empty))
            .ParamName.ShouldBe("utf8Properties");

    [Fact]
    public void FromUtf8_ReadTwiceAndCopied_GivesOneDocumentAndWithReplacesIt()
    {
        var e = DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id":"a"}"""u8.ToArray());

        var first = e.Properties;
        var copy = e with { EntityVersion = "2" };
        var replaced = e with { Properties = JsonSerializer.SerializeToElement(new { id = "b" }) };

        e.Properties.ShouldBe(first); // the same element of the same document, not a second parse
        copy.Properties.GetProperty("id").GetString().ShouldBe("a");
        replaced.Properties.GetProperty("id").GetString().ShouldBe("b");
    }

    public static TheoryData<string, Func<DatasourceEvent, DatasourceEvent>> Copies => new()
    {
        { "a copy", e => e with { } },
        { "a copy with the same version", e => e with { EntityVersion = e.EntityVersion } },
        { "the event itself", e => e },
    };

    [Theory]
    [MemberData(nameof(Copies))]
    public void FromUtf8_PropertiesReadOnOneOfTwoEqualEvents_StillEqualWithTheSameHash(string name, Func<DatasourceEvent, DatasourceEvent> copy)
    {
        _ = name;
        var e = DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id":"a"}"""u8.ToArray()) with { EntityId = "a", EntityVersion = "1" };
        var other = copy(e);
        var hash = e.GetHashCode();

        _ = e.Properties; // a read parses the bytes into a cached document; it is not a change of the event

        e.ShouldBe(other);
        other.ShouldBe(e);
        e.GetHashCode().ShouldBe(hash);
        other.GetHashCode().ShouldBe(hash);
        (e with { EntityVersion = "2" }).ShouldNotBe(e);
    }

    [Fact]
    public async Task FromUtf8_ReadFromManyThreadsAtOnce_AllSeeTheSameDocument()
    {
        var e = DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, default, "ds", """{"id":"a","n":[1,2,3]}"""u8.ToArray());
        using var start = new Barrier(8);

        var read = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            return e.Properties;
        }, TestContext.Current.CancellationToken)));

        read.Distinct().Count().ShouldBe(1); // racing first reads keep one document
        read[0].GetProperty("n").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public void BuildKey_Vertex_IsCategoryTypeAndId()
    {
        new EntityVertex("nova.instance", "41c40aab").Key.ShouldBe("RESOURCE:nova.instance:41c40aab");
        new EntityVertex("alarm", "a1") { Category = EntityCategories.Alarm }.Key.ShouldBe("ALARM:alarm:a1");
    }

    [Fact]
    public void EdgeLabels_All_AreVitragesNine()
    {
        EdgeLabels.All.ShouldBe(["on", "contains", "causes", "attached", "attached_public", "attached_private", "connect", "managed_by", "comprised"]);
    }
}
