using PluginHost.Tests.Support;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Static.Tests;

public sealed class StaticDatasourceTests
{
    [Fact]
    public async Task Snapshot_VitrageSample_GivesSwitchesRouterHostReferenceAndThreeAttachedEdges()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        var graph = new StaticGraph(folder);

        var events = await graph.SnapshotAsync();

        events.Count.ShouldBe(4);
        events.ShouldAllBe(e => e.EntityType == "static" && e.DatasourceName == "static");
        graph.LiveKeys.ShouldBe(["RESOURCE:nova.host:compute-1", "RESOURCE:router:34567", "RESOURCE:switch:12345", "RESOURCE:switch:23456"]);
        graph.LiveEdges.ShouldBe(
        [
            "router:34567 attached switch:12345",
            "switch:12345 attached nova.host:compute-1",
            "switch:23456 attached nova.host:compute-1",
        ]);
        var router = graph.Vertex("router", "34567");
        router.Name.ShouldBe("router-1");
        router.State.ShouldBe("available");
        router.DatasourceName.ShouldBe("static");
        router.Properties["vendor"]!.ToString().ShouldBe("acme");
        router.Properties["ports"]!.ToString().ShouldBe("48");
        router.Properties["static_id"].ShouldBe("r1");
        router.Properties["static_file"].ShouldBe("sample.yaml");
        var host = graph.Vertex("nova.host", "compute-1");
        host.IsPlaceholder.ShouldBeTrue(); // a reference: Nova owns it
        host.DatasourceName.ShouldBeNull();
    }

    [Fact]
    public async Task Changes_EntityAdded_ReportsOnlyThatEntity()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        var graph = new StaticGraph(folder);
        await graph.SnapshotAsync();
        (await graph.ChangesAsync()).ShouldBeEmpty();

        folder.Write("sample.yaml", StaticFolder.VitrageSample.Replace(
            "  relationships:", "    - static_id: fw1\n      type: firewall\n      id: fw-1\n      name: firewall-1\n  relationships:", StringComparison.Ordinal));
        var changes = await graph.ChangesAsync();

        changes.Select(e => e.Properties.GetProperty("id").GetString()).ShouldBe(["fw-1"]);
        changes.Single().Action.ShouldBe(DatasourceAction.Update);
        graph.Vertex("firewall", "fw-1").Name.ShouldBe("firewall-1");
    }

    // Found by a hostile test (stop 38): the driver took the pass as reported before it went out, so
    // the changes after the point where the host stopped reading were lost until the next snapshot.
    [Fact]
    public async Task Changes_PassStoppedHalfWay_TheNextPassSendsThemAgain()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        await folder.GetAllAsync();
        folder.Write("extra.yaml", "definitions:\n  entities:\n    - {static_id: a, type: firewall, id: fw-1}\n    - {static_id: b, type: firewall, id: fw-2}\n");

        await foreach (var first in folder.Driver.GetChangesAsync(TestContext.Current.CancellationToken))
        {
            first.Properties.GetProperty("id").GetString().ShouldBe("fw-1");
            break; // the host stopped here (a stop, a timeout)
        }

        (await folder.GetChangesAsync()).Select(e => e.Properties.GetProperty("id").GetString()).ShouldBe(["fw-1", "fw-2"]);
        (await folder.GetChangesAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Changes_EntityChanged_ReportsOnlyThatEntityWithItsNewState()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        var graph = new StaticGraph(folder);
        await graph.SnapshotAsync();

        folder.Write("sample.yaml", StaticFolder.VitrageSample.Replace("name: switch-2\n      state: available", "name: switch-2\n      state: error", StringComparison.Ordinal));
        var changes = await graph.ChangesAsync();

        changes.Select(e => e.Properties.GetProperty("id").GetString()).ShouldBe(["23456"]);
        graph.Vertex("switch", "23456").State.ShouldBe("error");
        graph.Vertex("switch", "12345").State.ShouldBe("available");
    }

    [Fact]
    public async Task Changes_EntityRemoved_RemovesItsVertexAndEdges()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        var graph = new StaticGraph(folder);
        await graph.SnapshotAsync();

        folder.Write("sample.yaml", StaticFolder.VitrageSample
            .Replace("    - static_id: r1\n      type: router\n      id: '34567'\n      name: router-1\n      state: available\n      vendor: acme\n      ports: 48\n", string.Empty, StringComparison.Ordinal)
            .Replace("\n    - source: r1\n      target: s1\n      relationship_type: attached", string.Empty, StringComparison.Ordinal));
        var changes = await graph.ChangesAsync();

        folder.Logger.Errors.ShouldBeEmpty();

        changes.Select(e => e.Properties.GetProperty("id").GetString()).ShouldBe(["34567"]);
        changes.Single().Properties.GetProperty("deleted").GetBoolean().ShouldBeTrue();
        graph.Vertex("router", "34567").IsDeleted.ShouldBeTrue();
        graph.LiveEdges.ShouldBe(["switch:12345 attached nova.host:compute-1", "switch:23456 attached nova.host:compute-1"]);
    }

    [Fact]
    public async Task Changes_FileAddedThenRemoved_AddsThenRemovesExactlyItsEntities()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        var graph = new StaticGraph(folder);
        await graph.SnapshotAsync();
        var before = graph.LiveKeys.ToList();

        folder.Write("rack.yml", """
            metadata: {name: rack}
            definitions:
              entities:
                - {static_id: pdu, type: pdu, id: pdu-1, name: pdu-1}
                - {static_id: vm, type: nova.instance, id: 41c40aab-80e9-4bb6-a280-27976bfc811f}
              relationships:
                - {source: pdu, target: vm, relationship_type: causes}
            """);
        var added = await graph.ChangesAsync();
        added.Select(e => e.Properties.GetProperty("id").GetString()).Order().ShouldBe(["41c40aab-80e9-4bb6-a280-27976bfc811f", "pdu-1"]);
        graph.LiveEdges.ShouldContain("pdu:pdu-1 causes nova.instance:41c40aab-80e9-4bb6-a280-27976bfc811f");

        folder.Delete("rack.yml");
        var removed = await graph.ChangesAsync();

        removed.Count.ShouldBe(2);
        graph.LiveKeys.ShouldBe(before);
    }

    [Fact]
    public async Task Snapshot_AfterFileRemoved_RemovesItsEntitiesToo()
    {
        await using var folder = new StaticFolder();
        folder.Write("sample.yaml", StaticFolder.VitrageSample);
        folder.Write("extra.yaml", "definitions:\n  entities:\n    - {static_id: x, type: rack, id: r12}\n");
        var graph = new StaticGraph(folder);
        await graph.SnapshotAsync();
        graph.Vertex("rack", "r12").IsDeleted.ShouldBeFalse();

        folder.Delete("extra.yaml");
        await graph.SnapshotAsync();

        graph.Vertex("rack", "r12").IsDeleted.ShouldBeTrue();
        graph.LiveKeys.Count().ShouldBe(4);
    }

    [Fact]
    public void CreateDriver_MissingFolder_IsAConfigurationErrorSayingWhich()
    {
        var logger = new CapturingLogger();

        var error = Should.Throw<DatasourceConfigurationException>(() =>
            new StaticDatasourcePlugin().CreateDriver(StaticFolder.Context("/nonexistent/static", logger)));

        error.Message.ShouldBe("static folder /nonexistent/static ([static] directory) does not exist");
    }

    [Fact]
    public async Task Snapshot_FolderRemovedWhileRunning_FailsSayingWhich()
    {
        await using var folder = new StaticFolder();
        var removed = Directory.CreateTempSubdirectory("static-removed-").FullName;
        var driver = new StaticDatasourcePlugin().CreateDriver(StaticFolder.Context(removed, folder.Logger));
        Directory.Delete(removed);

        var error = await Should.ThrowAsync<DatasourceException>(async () =>
        {
            await foreach (var _ in driver.GetAllAsync(DatasourceAction.Snapshot, TestContext.Current.CancellationToken))
            {
            }
        });

        error.Message.ShouldBe($"static folder {removed} ([static] directory) does not exist");
    }
}
