using System.Security.Cryptography;
using System.Text;
using PluginHost.Graph;

namespace PluginHost.Tests.Graph;

public sealed class VitrageIdGeneratorTests
{
    // Ids are stable across restarts and hosts, so the allocation-free path must give exactly the
    // ids of RFC 9562's version-5 layout, for short keys (stack), long ones (pooled) and non-ASCII;
    // two are pinned to Python's uuid.uuid5 with the same namespace, an independent implementation.
    [Theory]
    [InlineData("RESOURCE:kubernetes.node:0b7c2f4e-9c1d-4a51-a1e8-3f6d2a7b9c10", "7d12d655-04ec-58b7-9dd0-c42abb1fdbdc")]
    [InlineData("RESOURCE:kubernetes:sim-cluster", "ef28b67f-114f-5f5c-a759-42b6faa4e47d")]
    [InlineData("RESOURCE:nova.instance:ü-ñ-名前", null)]
    [InlineData("", null)]
    public void FromKey_Key_IsTheNameBasedUuidOfTheKey(string key, string? pinned)
    {
        var id = VitrageIdGenerator.FromKey(key);

        id.ShouldBe(Reference(key));
        if (pinned is not null)
        {
            id.ShouldBe(pinned);
        }
    }

    [Theory]
    [InlineData(511)]
    [InlineData(2048)]
    public void FromKey_LongKey_IsTheNameBasedUuidOfTheKey(int length)
    {
        var key = "RESOURCE:static:" + new string('x', length);

        VitrageIdGenerator.FromKey(key).ShouldBe(Reference(key));
    }

    // The layout written out plainly, as the host computed it before: namespace bytes, then the key's UTF-8.
    private static string Reference(string key)
    {
        var ns = Guid.Parse("5a0f4f6e-9e1b-4c53-8f7a-2d1c3b7e6a10").ToByteArray(bigEndian: true);
#pragma warning disable CA5350 // name-based UUIDs are defined with SHA-1
        var hash = SHA1.HashData([.. ns, .. Encoding.UTF8.GetBytes(key)]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}
