using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary>
/// Writes a body of an exact, possibly huge size — prefix, filler bytes, suffix — in fixed
/// chunks, so the simulator can send a 1 GB page without holding it.
/// </summary>
internal static class PaddedBody
{
    private static readonly byte[] Filler = CreateFiller();

    public static async Task WriteAsync(HttpContext context, byte[] prefix, long size, byte[] suffix, bool announceLength)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        var padding = Math.Max(0, size - prefix.Length - suffix.Length);
        if (announceLength)
        {
            response.ContentLength = prefix.Length + padding + suffix.Length;
        }

        await response.Body.WriteAsync(prefix, aborted).ConfigureAwait(false);
        for (var left = padding; left > 0; left -= Filler.Length)
        {
            await response.Body.WriteAsync(Filler.AsMemory(0, (int)Math.Min(Filler.Length, left)), aborted).ConfigureAwait(false);
        }

        await response.Body.WriteAsync(suffix, aborted).ConfigureAwait(false);
    }

    private static byte[] CreateFiller()
    {
        var filler = new byte[64 * 1024];
        filler.AsSpan().Fill((byte)'x');
        return filler;
    }
}
