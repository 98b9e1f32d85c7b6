namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>Puts a user's credentials on each request (the TLS client certificate is the handler's).</summary>
internal interface IRequestAuthenticator : IDisposable
{
    /// <summary>What the credentials are, for messages: never the credentials themselves.</summary>
    string Description { get; }

    /// <summary>Adds the Authorization header, if any; may run a credential plugin or read a file.</summary>
    ValueTask AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>
    /// After a 401: forgets cached credentials so the next request gets fresh ones (as client-go
    /// does for exec plugins). False when nothing would change, so the request is not retried.
    /// </summary>
    bool Invalidate();
}
