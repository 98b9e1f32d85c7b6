namespace PluginHost.KubeApiSimulator;

/// <summary>
/// A fault applied to matching requests. By default it hits every matching request; with
/// <see cref="OnRequest"/> only the N-th matching request (1-based), with <see cref="EveryNth"/>
/// every N-th; <see cref="Times"/> bounds how often it fires.
/// </summary>
public sealed record FaultRule(FaultKind Kind)
{
    /// <summary>Path prefix the rule watches; the node list by default.</summary>
    public string PathPrefix { get; init; } = "/api/v1/nodes";

    public int? OnRequest { get; init; }

    /// <summary>
    /// Which requests of <see cref="PathPrefix"/> the rule sees: <c>null</c> all, <c>true</c> only
    /// watches (<c>watch=true</c>), <c>false</c> all but watches (lists, gets).
    /// </summary>
    public bool? OnWatch { get; init; }

    /// <summary>For <see cref="FaultKind.DropWatch"/>: events sent before the connection is reset.</summary>
    public int AfterEvents { get; init; }

    public int? EveryNth { get; init; }

    public int? Times { get; init; }

    /// <summary>For <see cref="FaultKind.Latency"/> and <see cref="FaultKind.SlowBody"/>.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Seconds sent in <c>Retry-After</c> for <see cref="FaultKind.TooManyRequests"/>.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Where <see cref="FaultKind.Redirect"/> sends the client (scheme, host and port; the path is the request's).</summary>
    public Uri? Location { get; init; }

    /// <summary>Body size in bytes for <see cref="FaultKind.OversizedBody"/> and <see cref="FaultKind.OversizedErrorBody"/>.</summary>
    public long Size { get; init; } = 128L << 20;

    /// <summary>Whether <see cref="FaultKind.OversizedBody"/> sends a <c>Content-Length</c> (else it is chunked).</summary>
    public bool ContentLength { get; init; } = true;

    /// <summary>Whether <see cref="FaultKind.EndlessContinue"/> pages carry <c>remainingItemCount</c>.</summary>
    public bool RemainingItemCount { get; init; } = true;

    /// <summary>
    /// For <see cref="FaultKind.GoneOnContinue"/>: nodes deleted (each a DELETED watch event) just
    /// before the 410 is answered, so the restarted list no longer has them: the cluster changed
    /// while the continue token expired, as it does when etcd compacted meanwhile.
    /// </summary>
    public IReadOnlyList<string> DeleteNodes { get; init; } = [];
}
