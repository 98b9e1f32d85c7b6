using System.Text.Json;

namespace PluginHost.Contracts.Tests;

public sealed class DatasourceEventTests
{
    [Theory]
    [InlineData("init snapshot", DatasourceAction.InitSnapshot, "init_snapshot")]
    [InlineData("snapshot", DatasourceAction.Snapshot, "snapshot")]
    [InlineData("update", DatasourceAction.Update, "update")]
    public void WriteTo_Event_UsesVitragesKeysAfterTheDatasourceProperties(string name, DatasourceAction action, string wire)
    {
        var e = new DatasourceEvent("kubernetes.node", action, new DateTimeOffset(2026, 11, 26, 10, 5, 3, 123, 456, TimeSpan.FromHours(2)),
            "kubernetes", JsonSerializer.SerializeToElement(new { name = "n1", count = 3 }));
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            e.WriteTo(writer);
        }

        var json = JsonDocument.Parse(stream.ToArray()).RootElement;
        json.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["name", "count", "vitrage_entity_type", "vitrage_datasource_action", "vitrage_sample_date", "vitrage_datasource_name"], name);
        json.GetProperty("vitrage_datasource_action").GetString().ShouldBe(wire, name);
        json.GetProperty("vitrage_sample_date").GetString().ShouldBe("2026-11-26T08:05:03.123456Z", name);
        json.GetProperty("vitrage_entity_type").GetString().ShouldBe("kubernetes.node", name);
        json.GetProperty("vitrage_datasource_name").GetString().ShouldBe("kubernetes", name);
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
