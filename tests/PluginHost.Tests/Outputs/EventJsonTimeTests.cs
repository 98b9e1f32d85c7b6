using System.Buffers;
using System.Text;
using System.Text.Json;
using PluginHost.Outputs;

namespace PluginHost.Tests.Outputs;

public sealed class EventJsonTimeTests
{
    public static TheoryData<string, DateTimeOffset, string> Times => new()
    {
        { "UTC with microseconds", new DateTimeOffset(2026, 11, 28, 18, 2, 44, TimeSpan.Zero).AddTicks(6_461_230), "2026-11-28T18:02:44.646123Z" },
        { "a tick below a microsecond is cut, not rounded", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(19), "2026-01-01T00:00:00.000001Z" },
        { "another offset is shown in UTC", new DateTimeOffset(2026, 1, 1, 1, 30, 0, TimeSpan.FromHours(2)), "2025-12-31T23:30:00.000000Z" },
        { "the earliest time", DateTimeOffset.MinValue, "0001-01-01T00:00:00.000000Z" },
        { "the latest time", DateTimeOffset.MaxValue, "9999-12-31T23:59:59.999999Z" },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void WriteTime_Time_WritesFormatTimesText(string name, DateTimeOffset time, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            EventJson.WriteTime(writer, JsonEncodedText.Encode("t"), time);
            writer.WriteEndObject();
        }

        EventJson.FormatTime(time).ShouldBe(expected, name);
        Encoding.UTF8.GetString(buffer.WrittenSpan).ShouldBe($$"""{"t":"{{expected}}"}""", name);
    }

    // The text is the round-trip format cut to microseconds; it must stay what the custom format
    // "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'" gave before, for any time and offset.
    [Fact]
    public void FormatTime_RandomTimesAndOffsets_SameTextAsTheCustomFormat()
    {
        var random = new Random(17);
        var buffer = new ArrayBufferWriter<byte>();
        for (var i = 0; i < 20_000; i++)
        {
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var minTicks = Math.Max(DateTime.MinValue.Ticks, DateTime.MinValue.Ticks - offset.Ticks);
            var maxTicks = Math.Min(DateTime.MaxValue.Ticks, DateTime.MaxValue.Ticks - offset.Ticks);
            var time = new DateTimeOffset(random.NextInt64(minTicks, maxTicks + 1), TimeSpan.Zero).ToOffset(offset);
            var expected = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

            EventJson.FormatTime(time).ShouldBe(expected, time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            buffer.Clear();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                EventJson.WriteTime(writer, JsonEncodedText.Encode("t"), time);
                writer.WriteEndObject();
            }

            Encoding.UTF8.GetString(buffer.WrittenSpan).ShouldBe($$"""{"t":"{{expected}}"}""");
        }
    }
}
