using System.Globalization;
using PluginHost.Datasources.Kubernetes;

namespace PluginHost.Datasources.Kubernetes.Tests;

/// <summary>
/// creation_timestamp keeps an API server's UTC-seconds text as it is instead of parsing and
/// formatting it: for every input, the result must be what parsing and formatting gave.
/// </summary>
public sealed class CreationTimestampTests
{
    // What the transformer did for every text before the shortcut.
    private static string ParsedAndFormatted(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;

    public static TheoryData<string, string, string> Texts => new()
    {
        { "the API server's form", "2025-03-05T10:22:00Z", "2025-03-05T10:22:00Z" },
        { "the last second of a leap day", "2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z" },
        { "the earliest time", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z" },
        { "the latest time", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z" },
        { "an offset is turned into UTC", "2025-03-05T12:22:00+02:00", "2025-03-05T10:22:00Z" },
        { "fractions are cut", "2025-03-05T10:22:00.987654Z", "2025-03-05T10:22:00Z" },
        { "no zone is taken as UTC", "2025-03-05T10:22:00", "2025-03-05T10:22:00Z" },
        { "a lower-case t and z", "2025-03-05t10:22:00z", ParsedAndFormatted("2025-03-05t10:22:00z") },
        { "month 13 is kept as it is", "2025-13-05T10:22:00Z", "2025-13-05T10:22:00Z" },
        { "a day February lacks is kept", "2025-02-29T10:22:00Z", "2025-02-29T10:22:00Z" },
        { "hour 24 is kept", "2025-03-05T24:00:00Z", "2025-03-05T24:00:00Z" },
        { "minute 60 is kept", "2025-03-05T10:60:00Z", "2025-03-05T10:60:00Z" },
        { "a leap second takes the parse", "2016-12-31T23:59:60Z", ParsedAndFormatted("2016-12-31T23:59:60Z") },
        { "year 0 is kept", "0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z" },
        { "non-ASCII digits take the parse", "２０２５-03-05T10:22:00Z", ParsedAndFormatted("２０２５-03-05T10:22:00Z") },
        { "not a time", "yesterday", "yesterday" },
        { "empty", "", "" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void UtcSecondsText_Text_AsParsedAndFormatted(string name, string text, string expected)
    {
        KubernetesNodeProperties.UtcSecondsText(text).ShouldBe(expected, name);
        KubernetesNodeProperties.UtcSecondsText(text).ShouldBe(ParsedAndFormatted(text), name);
    }

    [Fact]
    public void UtcSecondsText_RandomTextsOfTheApiServersShape_AsParsedAndFormatted()
    {
        var random = new Random(29);
        for (var i = 0; i < 20_000; i++)
        {
            // Digits anywhere in each field's range and a little beyond, so invalid dates come too.
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{random.Next(0, 10_000):D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}T{random.Next(0, 26):D2}:{random.Next(0, 61):D2}:{random.Next(0, 61):D2}Z");
            KubernetesNodeProperties.UtcSecondsText(text).ShouldBe(ParsedAndFormatted(text), text);
        }
    }
}
