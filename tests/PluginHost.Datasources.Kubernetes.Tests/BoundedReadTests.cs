using System.Diagnostics;
using PluginHost.Contracts;
using PluginHost.KubeApiSimulator;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>No response costs more memory than max_page_bytes (pages) or 64 KiB (error bodies).</summary>
public sealed class BoundedReadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("announced by Content-Length", true)]
    [InlineData("chunked, found while reading", false)]
    public async Task GetAll_PageOverMaxPageBytes_FailsNamingTheOption(string name, bool contentLength)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.OversizedBody) { Size = 3 << 20, ContentLength = contentLength });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), maxPageBytes: 1 << 20);

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        error.Message.ShouldBe(
            $"GET /api/v1/nodes on {cluster.Simulator.BaseUrl.ToString().TrimEnd('/')} returned a body larger than 1 MiB ([kubernetes] max_page_bytes; lower page_size or raise max_page_bytes); the snapshot is abandoned",
            name);
    }

    [Fact]
    public async Task GetAll_PageJustUnderMaxPageBytes_IsRead()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.OversizedBody) { Size = 1 << 20, ContentLength = false });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), maxPageBytes: 1 << 20);

        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(6);
    }

    [Fact]
    public async Task CreateDriver_BeforeItsFirstList_HoldsNoPageBuffer()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });
        await using var driver = (KubernetesDriver)cluster.CreateDriver(KubeconfigText.For(cluster.Simulator));

        // check-config creates drivers only to check them: they never list.
        driver.PageBufferBytes.ShouldBe(0);

        // A list refused before its first page (the end of a snapshot trims the buffer) holds none either.
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.Forbidden) { Times = 1 });
        await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));
        driver.PageBufferBytes.ShouldBe(0);

        await SimulatedCluster.GetAllAsync(driver, Ct);
        driver.PageBufferBytes.ShouldBe(PageBuffer.InitialBytes);
    }

    [Theory]
    [InlineData("after a page over the limit", 40 << 20, false)]
    [InlineData("after a large page under the limit", 20 << 20, true)]
    public async Task GetAll_AfterAnOversizedPage_ThePageBufferShrinksBack(string name, int size, bool completes)
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.OversizedBody) { Size = size, ContentLength = false, Times = 1 });
        await using var driver = (KubernetesDriver)cluster.CreateDriver(KubeconfigText.For(cluster.Simulator), maxPageBytes: 32 << 20);

        Exception? failure = null;
        try
        {
            await SimulatedCluster.GetAllAsync(driver, Ct);
        }
        catch (DatasourceException e)
        {
            failure = e;
        }

        (failure is null).ShouldBe(completes, name);
        driver.PageBufferBytes.ShouldBe(PageBuffer.InitialBytes, name);
        (await SimulatedCluster.GetAllAsync(driver, Ct)).Count.ShouldBe(6, name);
    }

    [Fact]
    public async Task GetAll_HugeErrorBody_ReadsOnlyItsStartAndFailsAtOnce()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatorOptions { NodeCount = 5 });
        cluster.Simulator.Faults.Add(new FaultRule(FaultKind.OversizedErrorBody) { Size = 1L << 30 });
        await using var driver = cluster.CreateDriver(KubeconfigText.For(cluster.Simulator));
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<DatasourceException>(() => SimulatedCluster.GetAllAsync(driver, Ct));

        // 1 GiB over loopback would take seconds; 64 KiB (and the handler's 1 MiB drain) does not.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        error.Message.ShouldBe($"GET /api/v1/nodes on {cluster.Simulator.BaseUrl.ToString().TrimEnd('/')} answered 500 Internal Server Error");
    }
}
