using System.Security.Cryptography;
using System.Text;

namespace PluginHost.Graph;

/// <summary>
/// Assigns <c>vitrage_id</c>s. Vitrage uses random UUIDs; we derive a name-based UUID (RFC 9562
/// version 5 layout) from the vertex key, so the same entity keeps its id across host restarts and
/// across hosts that publish to one central graph.
/// </summary>
internal static class VitrageIdGenerator
{
    private static readonly byte[] Namespace = Guid.Parse("5a0f4f6e-9e1b-4c53-8f7a-2d1c3b7e6a10").ToByteArray(bigEndian: true);

    public static string FromKey(string key)
    {
        var name = Encoding.UTF8.GetBytes(key);
        var buffer = new byte[Namespace.Length + name.Length];
        Namespace.CopyTo(buffer, 0);
        name.CopyTo(buffer, Namespace.Length);
#pragma warning disable CA5350 // SHA-1 is what name-based UUIDs are defined with; this is an id, not security.
        var hash = SHA1.HashData(buffer);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
