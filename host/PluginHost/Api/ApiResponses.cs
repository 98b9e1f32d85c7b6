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

    /// <summary>Which process published that version (<see cref="Instance"/>).</summary>
    public const string GraphInstanceHeader = "X-Graph-Instance";

    /// <summary>
    /// This process's name for its graph versions: their numbers start again with every start, so a
    /// client that kept a number from before a restart (the web view) cannot tell by the number
    /// alone that the graph it shows is another process's; with the same number it waited for the
    /// next version, showing the old graph until then.
    /// </summary>
    public static string Instance { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

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
    /// <exception cref="ApiException">503: the graph is not ready (<see cref="GraphReadiness"/>).</exception>
    public static GraphVersion UseVersion(HttpContext context, GraphReadiness graph)
    {
        graph.EnsureReady(); // before taking the version: one taken after it is at least as new
        var version = graph.Versions.Current;
        SetVersionHeaders(context, version);
        return version;
    }

    /// <summary>Names <paramref name="version"/> and this process in the answer's headers.</summary>
    public static void SetVersionHeaders(HttpContext context, GraphVersion version)
    {
        context.Response.Headers[GraphVersionHeader] = version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers[GraphInstanceHeader] = Instance;
    }
}
