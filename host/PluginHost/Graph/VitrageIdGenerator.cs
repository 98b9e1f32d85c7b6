using System.Security.Cryptography;
using System.Text;

namespace PluginHost.Graph;

/// <summary>
/// Assigns <c>vitrage_id</c>s. Vitrage uses random UUIDs; we derive a name-based UUID (RFC 9562
/// version 5 layout) from the vertex key, so the same entity keeps its id across host restarts and
/// across hosts that publish to one central graph. An alarm's is made from its key and the start of
/// its activation: raised again after it ended, it is a new alarm with a new id, as in Vitrage.
/// </summary>
internal static class VitrageIdGenerator
{
    private static readonly byte[] Namespace = Guid.Parse("5a0f4f6e-9e1b-4c53-8f7a-2d1c3b7e6a10").ToByteArray(bigEndian: true);

    // Keys are short (category:type:uid); a longer one takes a pooled buffer instead of the stack.
    private const int StackLimit = 512;

    /// <summary>The id of the vertex <paramref name="key"/>.</summary>
    public static string FromKey(string key) => FromName(key, null);

    /// <summary>
    /// The id of the alarm <paramref name="key"/>'s activation that began at <paramref name="start"/>
    /// (the name-based UUID of the key, a line feed and the start).
    /// </summary>
    public static string FromActivation(string key, string start) => FromName(key, start);

    private static string FromName(string key, string? start)
    {
        // Every new vertex gets one: no array per call (a 5,000-node snapshot makes 10,000 of them).
        var length = Namespace.Length + Encoding.UTF8.GetMaxByteCount(key.Length) + (start is null ? 0 : 1 + Encoding.UTF8.GetMaxByteCount(start.Length));
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Namespace.CopyTo(buffer);
            var written = Namespace.Length + Encoding.UTF8.GetBytes(key, buffer[Namespace.Length..]);
            if (start is not null)
            {
                buffer[written++] = (byte)'\n';
                written += Encoding.UTF8.GetBytes(start, buffer[written..]);
            }

            Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what name-based UUIDs are defined with; this is an id, not security.
            SHA1.HashData(buffer[..written], hash);
#pragma warning restore CA5350
            hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            return new Guid(hash[..16], bigEndian: true).ToString();
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
