using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PluginHost.KubeApiSimulator;

/// <summary>Kubernetes <c>Status</c> bodies, as the API server sends them for errors.</summary>
internal static class StatusResponses
{
    public static Task WriteAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Body(code, reason, message)).AsTask();
    }

    public static byte[] Body(int code, string reason, string message) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new Dictionary<string, object>(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    });

    /// <summary>
    /// apimachinery's <c>NewTooLargeResourceVersionError</c>: a 504 Timeout whose cause says
    /// <c>ResourceVersionTooLarge</c>, with the retry hint the watch cache gives.
    /// </summary>
    public static byte[] TooLargeResourceVersion(long requested, long current) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new Dictionary<string, object>(),
        ["status"] = "Failure",
        ["message"] = $"Timeout: Too large resource version: {requested}, current: {current}",
        ["reason"] = "Timeout",
        ["details"] = new Dictionary<string, object>
        {
            ["causes"] = new[] { new Dictionary<string, object> { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" } },
            ["retryAfterSeconds"] = 1,
        },
        ["code"] = 504,
    });

    public static Task UnauthorizedAsync(HttpContext context) => WriteAsync(context, 401, "Unauthorized", "Unauthorized");

    public static Task ForbiddenAsync(HttpContext context, string user) => WriteAsync(context, 403, "Forbidden",
        $"nodes is forbidden: User \"{user}\" cannot list resource \"nodes\" in API group \"\" at the cluster scope");

    public static Task NotFoundAsync(HttpContext context, string what) => WriteAsync(context, 404, "NotFound", what);

    public static Task GoneAsync(HttpContext context) => WriteAsync(context, 410, "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");

    public static Task InternalErrorAsync(HttpContext context) => WriteAsync(context, 500, "InternalError",
        "Internal error occurred: simulated failure");

    public static Task BadRequestAsync(HttpContext context, string message) => WriteAsync(context, 400, "BadRequest", message);
}
