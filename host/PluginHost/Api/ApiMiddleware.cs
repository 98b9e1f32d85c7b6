using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PluginHost.Api.Auth;
using PluginHost.Logging;

namespace PluginHost.Api;

/// <summary>
/// What every request goes through: a Vitrage request id, authentication of <c>/v1</c>, and
/// failures turned into Vitrage's error body (or, once the answer has started, an aborted
/// connection: a truncated JSON document must not pass for a whole one).
/// </summary>
internal sealed class ApiMiddleware(IRequestAuthenticator authenticator, HostNameFilter hosts, ILogger logger)
{
    public const string RequestIdHeader = "x-openstack-request-id";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var clock = Stopwatch.StartNew();
        context.Response.Headers[RequestIdHeader] = $"req-{Guid.NewGuid()}";
        try
        {
            if (!hosts.Allows(context.Request.Host.Host))
            {
                throw ApiException.BadRequest(
                    "The Host header names a host this API does not serve: it serves localhost, IP addresses and [api] allowed_hosts (with auth_mode = noauth on loopback, "
                    + "so that no web page can read the graph by rebinding its own name to 127.0.0.1). A proxy that forwards another name needs it in allowed_hosts.");
            }

            if (context.Request.Path.StartsWithSegments("/v1"))
            {
                ApiRequest.SetIdentity(context, await authenticator.AuthenticateAsync(context.Request, context.RequestAborted).ConfigureAwait(false));
            }

            await next(context).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await FailAsync(context, e.StatusCode, e.Message, e.Headers).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's limits: a body over the size limit (413), a client too slow to send it, ...
            await FailAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a write to its connection fails one way or another): nothing to answer.
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Method} {Path} failed: {Message}", context.Request.Method, LogText.Escape(context.Request.Path), LogText.Escape(e.Message));
            await FailAsync(context, StatusCodes.Status500InternalServerError, "The request failed inside the host; its log says why.").ConfigureAwait(false);
        }
        finally
        {
            var route = (context.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? "(none)";
            Operations.HostMetrics.ApiRequest(route, context.Request.Method, context.Response.StatusCode, clock.Elapsed);
            logger.LogDebug("{Method} {Path} answered {Status} in {Milliseconds:F1} ms", context.Request.Method,
                LogText.Escape(context.Request.Path), context.Response.StatusCode, clock.Elapsed.TotalMilliseconds);
        }
    }

    private static Task FailAsync(HttpContext context, int status, string description, IReadOnlyDictionary<string, string>? headers = null)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        var requestId = context.Response.Headers[RequestIdHeader];
        context.Response.Clear();
        context.Response.Headers[RequestIdHeader] = requestId;
        return ApiResponses.WriteErrorAsync(context, status, description, headers);
    }

    /// <summary>Routing's own answers (no such route, wrong method) get Vitrage's error body too.</summary>
    public static Task WriteStatusCodeAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var description = status switch
        {
            StatusCodes.Status404NotFound => "The resource could not be found.",
            StatusCodes.Status405MethodNotAllowed => $"The method {context.Request.Method} is not allowed for this resource.",
            _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
        };
        return ApiResponses.WriteErrorAsync(context, status, description);
    }
}
