using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PluginHost.Contracts;

/// <summary>
/// A JSON value held as its UTF-8 text: a vertex property that is a list or a map (a node's
/// conditions, labels, capacity) without a parsed document beside it. A <see cref="JsonElement"/>
/// keeps its document's metadata, about as many bytes again as the JSON itself, for as long as
/// the vertex lives; this keeps the bytes only and parses them when a reader asks
/// (<see cref="ToElement"/>: the API's query filters on such a property). The host writes the
/// bytes as they are into its JSON outputs, and compares two values by their bytes.
/// </summary>
[JsonConverter(typeof(Utf8JsonValueConverter))]
public sealed class Utf8JsonValue : IEquatable<Utf8JsonValue>
{
    private readonly byte[] _utf8;

    private Utf8JsonValue(byte[] utf8, JsonValueKind valueKind)
    {
        _utf8 = utf8;
        ValueKind = valueKind;
    }

    /// <summary>The JSON text, as given to <see cref="Parse"/> without the white space around it.</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8;

    /// <summary>What the value is: an object, an array, a string, a number, true, false or null.</summary>
    public JsonValueKind ValueKind { get; }

    /// <summary>
    /// Checks that <paramref name="utf8Json"/> is one JSON value (surrounding white space allowed,
    /// no comments) and keeps a copy of the value, without that white space.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not exactly one JSON value. The message gives
    /// the position, never the text.</exception>
    public static Utf8JsonValue Parse(ReadOnlySpan<byte> utf8Json)
    {
        // The reader (complete input, one value allowed, no comments) throws on empty input, on
        // anything that is not JSON and on a second value.
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        JsonValueKind kind;
        int start, end;
        try
        {
            reader.Read();
            kind = KindOf(reader.TokenType);
            start = (int)reader.TokenStartIndex;
            reader.Skip();
            end = (int)reader.BytesConsumed;
            reader.Read();
        }
        catch (JsonException)
        {
            // Not the reader's message: it quotes the offending byte of a value that may hold a secret.
            throw new JsonException($"not exactly one valid JSON value (stopped at byte {reader.BytesConsumed})");
        }

        return new Utf8JsonValue(utf8Json[start..end].ToArray(), kind);
    }

    /// <summary>
    /// (1.3) <paramref name="element"/>'s JSON text, copied from its document without reading it
    /// again where that is safe: a text without <c>//</c> or <c>/*</c> and without a comma before a
    /// closing bracket cannot hold what a leniently parsed document keeps (comments, trailing commas). Any
    /// other text is checked as <see cref="Parse"/> checks it and, if only such a document
    /// accepted it, written anew from the element (without the comments and trailing commas). So
    /// the value is always one valid JSON value, whatever options the document was parsed with.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="element"/> is the default (undefined) element.</exception>
    /// <exception cref="ObjectDisposedException">Its document was disposed.</exception>
    public static Utf8JsonValue FromElement(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("the element is undefined: give a value of a parsed document", nameof(element));
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (!MayBeLenient(raw))
        {
            return new Utf8JsonValue(raw.ToArray(), element.ValueKind);
        }

        try
        {
            return Parse(raw); // valid as it is ("//", "/*" or ", ]" inside a string): the text is kept
        }
        catch (JsonException)
        {
            var buffer = new ArrayBufferWriter<byte>(raw.Length);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                element.WriteTo(writer);
            }

            return new Utf8JsonValue(buffer.WrittenSpan.ToArray(), element.ValueKind);
        }
    }

    // Whether the text could hold a comment (it starts with "//" or "/*") or a trailing comma (a comma whose
    // next non-blank byte closes an object or array). Strings may give a false alarm, never a miss.
    private static bool MayBeLenient(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("//"u8) >= 0 || json.IndexOf("/*"u8) >= 0)
        {
            return true; // a single '/' (a label's "kubernetes.io/zone") starts no comment
        }

        for (var comma = json.IndexOf((byte)','); comma >= 0; comma = json.IndexOf((byte)','))
        {
            json = json[(comma + 1)..];
            var next = json.TrimStart(" \t\r\n"u8);
            if (next.Length > 0 && next[0] is (byte)'}' or (byte)']')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The value parsed into a new <see cref="JsonElement"/>. Each call parses again: read what you
    /// need from it, do not keep it.
    /// </summary>
    public JsonElement ToElement()
    {
        var reader = new Utf8JsonReader(_utf8);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>Writes the value as it is (it was checked when made).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(_utf8, skipInputValidation: true);
    }

    /// <summary>Equal when the bytes are: a value written alike by the same transformer.</summary>
    public bool Equals(Utf8JsonValue? other) =>
        ReferenceEquals(this, other) || (other is not null && _utf8.AsSpan().SequenceEqual(other._utf8));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Utf8JsonValue);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8);
        return hash.ToHashCode();
    }

    /// <summary>The JSON text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_utf8);

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        _ => JsonValueKind.Null,
    };
}
