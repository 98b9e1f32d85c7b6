using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary>The open watch streams, so a test can break them all at one chosen moment.</summary>
internal sealed class ActiveWatches
{
    private readonly ConcurrentDictionary<HttpContext, byte> _open = new();

    public int Count => _open.Count;

    /// <summary>Registers <paramref name="context"/> until the returned handle is disposed.</summary>
    public IDisposable Open(HttpContext context)
    {
        _open[context] = 0;
        return new Registration(this, context);
    }

    public int DropAll()
    {
        var dropped = 0;
        foreach (var context in _open.Keys)
        {
            if (_open.TryRemove(context, out _))
            {
                context.Abort();
                dropped++;
            }
        }

        return dropped;
    }

    private sealed class Registration(ActiveWatches owner, HttpContext context) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(context, out _);
    }
}
