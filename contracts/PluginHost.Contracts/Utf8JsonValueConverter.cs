using System.Text.Json;
using System.Text.Json.Serialization;

namespace PluginHost.Contracts;

/// <summary>
/// <see cref="JsonSerializer"/> writes a <see cref="Utf8JsonValue"/> as the JSON it holds, not as an
/// object with its members, and reads any one JSON value into one.
/// </summary>
internal sealed class Utf8JsonValueConverter : JsonConverter<Utf8JsonValue>
{
    public override Utf8JsonValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Written again rather than copied: options that allow comments or trailing commas leave
        // them in the raw bytes, which Parse refuses.
        using var document = JsonDocument.ParseValue(ref reader);
        return Utf8JsonValue.Parse(JsonSerializer.SerializeToUtf8Bytes(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, Utf8JsonValue value, JsonSerializerOptions options) => value.WriteTo(writer);
}
