using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Contracts;
using PluginHost.Outputs;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Outputs;

/// <summary>
/// An event made with <see cref="DatasourceEvent.FromUtf8"/> from bytes that are not JSON fails
/// only when read — and the event log reads it on its own worker: that one event is dropped
/// (counted), the lines before and after it are whole, and the log goes on.
/// </summary>
public sealed class EventLogBadEventTests
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { "truncated", """{"id": nope""" },
        { "two values", """{"id":"x"} {}""" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task OnEventAsync_EventWhosePropertiesAreNotJson_DropsItAndWritesTheNextWhole(string name, string body)
    {
        _ = name;
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "events.log");
        await using (var log = new EventLogOutput(path, NullLogger.Instance, TimeProvider.System))
        {
            await log.OnEventAsync(Event("""{"id":"before"}"""), ct);
            await log.OnEventAsync(Event(body), ct);
            await log.OnEventAsync(Event("""{"id":"after"}"""), ct);
            await log.FlushAsync(ct).WaitAsync(TimeSpan.FromSeconds(10), ct);

            log.Written.ShouldBe(2);
            log.Dropped.ShouldBe(1);
        }

        var lines = await File.ReadAllLinesAsync(path, ct);
        lines.Length.ShouldBe(2);
        lines[0].ShouldStartWith("""{"id":"before",""");
        lines[1].ShouldStartWith("""{"id":"after",""");
    }

    private static DatasourceEvent Event(string json) =>
        DatasourceEvent.FromUtf8("thing", DatasourceAction.Snapshot, DateTimeOffset.UnixEpoch, "ds", System.Text.Encoding.UTF8.GetBytes(json));
}
