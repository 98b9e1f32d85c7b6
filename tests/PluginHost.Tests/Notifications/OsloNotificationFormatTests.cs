using System.Text.Json;
using PluginHost.Outputs.Notifications;

namespace PluginHost.Tests.Notifications;

public sealed class OsloNotificationFormatTests
{
    [Theory]
    [InlineData("with microseconds", "2026-11-26T07:55:01.1234560Z", "2026-11-26 07:55:01.123456")]
    [InlineData("whole second, like Python's str(datetime)", "2026-11-26T07:55:01Z", "2026-11-26 07:55:01")]
    [InlineData("other offset", "2026-11-26T09:55:01.5+02:00", "2026-11-26 07:55:01.500000")]
    public void Timestamp_Time_IsPythonsUtcDatetimeString(string name, string time, string expected)
    {
        OsloNotificationFormat.Timestamp(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected, name);
    }

    [Fact]
    public void Body_Notification_IsTheOslo2EnvelopeWithTheMessageAsAString()
    {
        var messageId = Guid.NewGuid();
        var uniqueId = Guid.NewGuid();
        var body = OsloNotificationFormat.Body("plugin_host.edge-1", "kubernetes.node.snapshot",
            w => { w.WriteStartObject(); w.WriteString("name", "n1"); w.WriteEndObject(); },
            new DateTimeOffset(2026, 11, 26, 7, 55, 1, 250, TimeSpan.Zero), messageId, uniqueId);

        var outer = JsonDocument.Parse(body).RootElement;
        outer.EnumerateObject().Select(p => p.Name).ShouldBe(["oslo.version", "oslo.message"]);
        outer.GetProperty("oslo.version").GetString().ShouldBe("2.0");
        var inner = JsonDocument.Parse(outer.GetProperty("oslo.message").GetString()!).RootElement;
        inner.EnumerateObject().Select(p => p.Name).ShouldBe(["message_id", "publisher_id", "event_type", "priority", "payload", "timestamp", "_unique_id"]);
        inner.GetProperty("message_id").GetString().ShouldBe(messageId.ToString());
        inner.GetProperty("publisher_id").GetString().ShouldBe("plugin_host.edge-1");
        inner.GetProperty("event_type").GetString().ShouldBe("kubernetes.node.snapshot");
        inner.GetProperty("priority").GetString().ShouldBe("INFO");
        inner.GetProperty("payload").GetProperty("name").GetString().ShouldBe("n1");
        inner.GetProperty("timestamp").GetString().ShouldBe("2026-11-26 07:55:01.250000");
        inner.GetProperty("_unique_id").GetString().ShouldBe(uniqueId.ToString("N"));
    }
}
