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
