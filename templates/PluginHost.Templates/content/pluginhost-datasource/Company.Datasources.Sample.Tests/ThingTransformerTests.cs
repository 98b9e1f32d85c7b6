using System.Text.Json;
using PluginHost.Contracts;

namespace Company.Datasources.Sample.Tests;

public sealed class ThingTransformerTests
{
    private static DatasourceEvent Event(string json, DatasourceAction action = DatasourceAction.Snapshot) =>
        new(SamplePlugin.ThingType, action, DateTimeOffset.UnixEpoch, "mysource", JsonDocument.Parse(json).RootElement.Clone());

    [Theory]
    [InlineData("a thing on a VM", """{"id":"t1","name":"one","state":"ok","instance_id":"vm-1"}""", "one", "ok", "RESOURCE:nova.instance:vm-1")]
    [InlineData("a thing without VM", """{"id":"t2"}""", "t2", null, null)]
    public void Transform_Thing_GivesItsVertexAndItsVm(string name, string json, string vertexName, string? state, string? vm)
    {
        var update = new ThingTransformer().Transform(Event(json));

        update.Vertex.Type.ShouldBe("mysource.thing", name);
        update.Vertex.Name.ShouldBe(vertexName, name);
        update.Vertex.State.ShouldBe(state, name);
        update.Neighbors.Select(n => n.Vertex.Key).SingleOrDefault().ShouldBe(vm, name);
        update.Action.ShouldBe(GraphAction.Create, name);
    }

    [Fact]
    public void Transform_ThingWithoutId_IsRejectedWithAClearMessage()
    {
        Should.Throw<InvalidDataException>(() => new ThingTransformer().Transform(Event("""{"name":"x"}"""))).Message.ShouldBe("a thing has no id");
    }
}
