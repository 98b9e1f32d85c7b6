namespace PluginHost.KubeApiSimulator;

/// <summary>What goes wrong with a request a fault rule matches.</summary>
public enum FaultKind
{
    /// <summary>Waits <see cref="FaultRule.Delay"/> before answering normally.</summary>
    Latency,

    /// <summary>500 with a Status body.</summary>
    InternalError,

    /// <summary>429 with <c>Retry-After</c>.</summary>
    TooManyRequests,

    /// <summary>410 Gone, as for an expired continue token (only on requests that carry one).</summary>
    GoneOnContinue,

    /// <summary>401 Status.</summary>
    Unauthorized,

    /// <summary>403 Status naming the missing RBAC.</summary>
    Forbidden,

    /// <summary>Sends part of the body, then resets the connection.</summary>
    ResetMidBody,

    /// <summary>Sends part of the body and ends the response normally (invalid JSON).</summary>
    TruncatedBody,

    /// <summary>200 with a body that is not JSON.</summary>
    MalformedJson,

    /// <summary>Sends the body in small pieces with <see cref="FaultRule.Delay"/> between them.</summary>
    SlowBody,
}
