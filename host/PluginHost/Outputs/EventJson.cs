using System.Globalization;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Outputs;

/// <summary>
/// A datasource event in Vitrage's wire form: the datasource's properties followed by Vitrage's
/// keys, the shape Vitrage's drivers put on its queue (event log, notifications).
/// </summary>
internal static class EventJson
{
    public const string EntityTypeKey = "vitrage_entity_type";
    public const string DatasourceActionKey = "vitrage_datasource_action";
    public const string SampleDateKey = "vitrage_sample_date";
    public const string DatasourceNameKey = "vitrage_datasource_name";

    /// <summary>Vitrage's spelling of an action: <c>init_snapshot</c>, <c>snapshot</c>, <c>update</c>.</summary>
    public static string ActionName(DatasourceAction action) => action switch
    {
        DatasourceAction.InitSnapshot => "init_snapshot",
        DatasourceAction.Snapshot => "snapshot",
        DatasourceAction.Update => "update",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Parses <see cref="ActionName"/>'s spelling; anything else is an update.</summary>
    public static DatasourceAction ParseAction(string? name) => name switch
    {
        "init_snapshot" => DatasourceAction.InitSnapshot,
        "snapshot" => DatasourceAction.Snapshot,
        _ => DatasourceAction.Update,
    };

    // yyyy-MM-ddTHH:mm:ss.ffffffZ: .NET's round-trip format ("O", 7 fractional digits, 'Z' for
    // UTC) without its last digit, which cuts to microseconds as "ffffff" does. "O" has its own
    // fast path; a custom format string is parsed again on every call (a graph formats two or
    // three times per vertex and one per edge), and its formatter is one of the larger methods a
    // cold 'snapshot' compiles.
    private const int RoundTripLength = 28;
    private const int TimeLength = RoundTripLength - 1;

    /// <summary>ISO-8601 UTC with microseconds, as events and the graph carry times.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        Span<char> roundTrip = stackalloc char[RoundTripLength];
        var formatted = time.UtcDateTime.TryFormat(roundTrip, out var written, "O", CultureInfo.InvariantCulture);
        CheckRoundTrip(formatted, written);
        roundTrip[TimeLength - 1] = 'Z';
        return new string(roundTrip[..TimeLength]);
    }

    /// <summary>
    /// <paramref name="name"/> with <see cref="FormatTime"/>'s text, formatted into the writer
    /// without a string: a graph writes two or three times per vertex and one per edge, at 65,000
    /// nodes ~30 MB of strings that were garbage as soon as written.
    /// </summary>
    public static void WriteTime(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset time)
    {
        Span<byte> roundTrip = stackalloc byte[RoundTripLength];
        var formatted = time.UtcDateTime.TryFormat(roundTrip, out var written, "O", CultureInfo.InvariantCulture);
        CheckRoundTrip(formatted, written);
        roundTrip[TimeLength - 1] = (byte)'Z';
        writer.WriteString(name, roundTrip[..TimeLength]);
    }

    // Every DateTime (years 0001-9999) has this length in "O": anything else is a bug, not an input.
    private static void CheckRoundTrip(bool formatted, int written)
    {
        if (!formatted || written != RoundTripLength)
        {
            throw new InvalidOperationException($"the round-trip time format gave {written} characters, not {RoundTripLength}");
        }
    }

    public static void Write(Utf8JsonWriter writer, DatasourceEvent datasourceEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(datasourceEvent);

        // An event made by FromUtf8 is parsed here into a document disposed once written, as its
        // transformer does (contracts 1.3): the event's own cached parse would keep a pooled
        // array per event until the collector took it. Parsed before anything is written: bytes
        // that are not JSON throw JsonException with the writer still clean for the next event.
        if (datasourceEvent.TryGetUtf8Properties(out var utf8))
        {
            using var document = JsonDocument.Parse(utf8);
            Write(writer, datasourceEvent, document.RootElement);
        }
        else
        {
            Write(writer, datasourceEvent, datasourceEvent.Properties);
        }
    }

    private static void Write(Utf8JsonWriter writer, DatasourceEvent datasourceEvent, JsonElement properties)
    {
        writer.WriteStartObject();
        if (properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteString(EntityTypeKey, datasourceEvent.EntityType);
        writer.WriteString(DatasourceActionKey, ActionName(datasourceEvent.Action));
        writer.WriteString(SampleDateKey, FormatTime(datasourceEvent.SampleTime));
        writer.WriteString(DatasourceNameKey, datasourceEvent.DatasourceName);
        writer.WriteEndObject();
    }
}
