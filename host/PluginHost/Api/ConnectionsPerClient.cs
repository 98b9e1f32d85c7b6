using System.Net;
using Microsoft.AspNetCore.Connections;

namespace PluginHost.Api;

/// <summary>
/// At most <see cref="Limit"/> open connections from one client address. Kestrel's own limit is
/// for all clients together: one client holding that many idle connections (no request needed,
/// so no token either) closed every further one, health probes included, until it let go.
/// Connections over the limit are closed before TLS or HTTP starts.
/// </summary>
internal sealed class ConnectionsPerClient
{
    /// <summary>Far above what a browser (6 per origin), the vitrage client or a probe opens, and a
    /// quarter of all the API serves: no single client can take every connection.</summary>
    public const int Limit = 250;

    private readonly Dictionary<IPAddress, int> _open = [];

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var client = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (client is not null && !TryOpen(client))
        {
            connection.Abort(new ConnectionAbortedException($"more than {Limit} connections from one address"));
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            if (client is not null)
            {
                Close(client);
            }
        }
    };

    private bool TryOpen(IPAddress client)
    {
        lock (_open)
        {
            _open.TryGetValue(client, out var open);
            if (open >= Limit)
            {
                return false;
            }

            _open[client] = open + 1;
            return true;
        }
    }

    private void Close(IPAddress client)
    {
        lock (_open)
        {
            if (_open[client] == 1)
            {
                _open.Remove(client);
            }
            else
            {
                _open[client]--;
            }
        }
    }
}
