using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using PluginHost.Graph;

namespace PluginHost.Api;

/// <summary>JSON answers, streamed: the writer hands its bytes to the connection as it goes, so a large graph never sits in memory.</summary>
internal static class ApiResponses
{
    /// <summary>The published graph version an answer was read from (one per request: no torn reads).</summary>
    public const string GraphVersionHeader = "X-Graph-Version";

    public static async Task WriteJsonAsync(HttpContext context, Func<Utf8JsonWriter, CancellationToken, Task> write, int status = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body);
        await write(writer, context.RequestAborted).ConfigureAwait(false);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK) =>
        WriteJsonAsync(context, (writer, _) =>
        {
            write(writer);
            return Task.CompletedTask;
        }, status);

    /// <summary>Vitrage's error body: <c>{"code": 404, "title": "Not Found", "description": "..."}</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string description, IReadOnlyDictionary<string, string>? headers = null)
    {
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        return WriteJsonAsync(context, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", status);
            writer.WriteString("title", ReasonPhrases.GetReasonPhrase(status));
            writer.WriteString("description", description);
            writer.WriteEndObject();
        }, status);
    }

    /// <summary>Takes the current graph version for this request and says which one it is.</summary>
    public static GraphVersion UseVersion(HttpContext context, GraphVersionPublisher versions)
    {
        var version = versions.Current;
        context.Response.Headers[GraphVersionHeader] = version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return version;
    }
}
