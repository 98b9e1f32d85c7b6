using Microsoft.AspNetCore.Http;

namespace PluginHost.Api;

/// <summary>An answer other than success, written as Vitrage's error body <c>{"code", "title", "description"}</c>.</summary>
internal sealed class ApiException(int statusCode, string description) : Exception(description)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>Headers the answer carries besides the body (a 401's <c>WWW-Authenticate</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static ApiException BadRequest(string description) => new(StatusCodes.Status400BadRequest, description);

    public static ApiException Forbidden(string description) => new(StatusCodes.Status403Forbidden, description);

    public static ApiException NotFound(string description) => new(StatusCodes.Status404NotFound, description);
}
