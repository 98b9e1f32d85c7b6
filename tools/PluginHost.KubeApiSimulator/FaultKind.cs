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

    /// <summary>
    /// 410 Gone, as for an expired continue token (only on requests that carry one); first deletes
    /// <see cref="FaultRule.DeleteNodes"/>.
    /// </summary>
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

    /// <summary>
    /// 302 Found to <see cref="FaultRule.Location"/> with the request's path and query appended
    /// (another host, port or scheme: a server that sends clients elsewhere).
    /// </summary>
    Redirect,

    /// <summary>Each list page carries the continue token the request came with: paging never ends.</summary>
    RepeatContinueToken,

    /// <summary>
    /// Each list page carries a new continue token, starting over after the last node: paging
    /// never ends. <see cref="FaultRule.RemainingItemCount"/> says whether pages report one.
    /// </summary>
    EndlessContinue,

    /// <summary>
    /// A valid node list of <see cref="FaultRule.Size"/> bytes (padding before the items), streamed
    /// without holding it; <see cref="FaultRule.ContentLength"/> says whether its length is announced.
    /// </summary>
    OversizedBody,

    /// <summary>500 with a Status body of <see cref="FaultRule.Size"/> bytes, streamed.</summary>
    OversizedErrorBody,

    /// <summary>A watch that sends its headers, then nothing at all (no event, no bookmark) until the client leaves: a hung stream.</summary>
    SilentWatch,

    /// <summary>A watch whose connection is reset after <see cref="FaultRule.AfterEvents"/> events (0: right after the headers).</summary>
    DropWatch,
}
