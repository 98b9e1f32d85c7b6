using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PluginHost.Api.Query;

namespace PluginHost.Api;

/// <summary>
/// A request's parameters as Pecan hands them to Vitrage's controllers: the JSON body's members,
/// over the query string's (the client sends JSON; the query string works too). Values are read
/// with Vitrage's conversions: <c>bool_from_string</c>, <c>int</c>, and the query as a JSON string.
/// </summary>
internal sealed class RequestParameters
{
    private readonly Dictionary<string, JsonElement> _body;
    private readonly IQueryCollection _query;

    private RequestParameters(Dictionary<string, JsonElement> body, IQueryCollection query)
    {
        _body = body;
        _query = query;
    }

    /// <summary>Reads the body (bounded by Kestrel's request size limit) and the query string.</summary>
    /// <exception cref="ApiException">400 for a body that is not a JSON object, 415 for one that is not JSON at all.</exception>
    public static async Task<RequestParameters> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return new RequestParameters(body, request.Query);
        }

        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, $"The request body must be JSON (Content-Type: application/json), not {type}.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 64 }, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The request body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.BadRequest("The request body must be a JSON object of parameters.");
            }

            if (!IsUnicode(document.RootElement))
            {
                throw ApiException.BadRequest("The request body is not valid JSON: a string or name holds an escaped lone surrogate (\\ud800 without its pair), which is no Unicode text.");
            }

            foreach (var member in document.RootElement.EnumerateObject())
            {
                body[member.Name] = member.Value.Clone();
            }
        }

        return new RequestParameters(body, request.Query);
    }

    // The parser takes an escaped lone surrogate ("\ud800") into the document, but reading it as a
    // string throws InvalidOperationException wherever a parameter or a query literal is read (a 500
    // and a stack trace in the log per request): every string and name is checked once, here.
    private static bool IsUnicode(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Object:
                    foreach (var member in element.EnumerateObject())
                    {
                        _ = member.Name;
                        if (!IsUnicode(member.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!IsUnicode(item))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A text parameter; JSON null and absence are <c>null</c>.</summary>
    public string? GetString(string name)
    {
        if (_body.TryGetValue(name, out var value))
        {
            return value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => throw ApiException.BadRequest($"Parameter {name} must be a string."),
            };
        }

        return _query.TryGetValue(name, out var text) && text.Count > 0 ? text[^1] : null;
    }

    /// <summary>
    /// A list parameter: a JSON array, or the query string's repeated values (<c>sort_by=a&amp;sort_by=b</c>, as
    /// python-requests sends a list); empty when absent.
    /// </summary>
    public IReadOnlyList<string> GetStrings(string name)
    {
        if (_body.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Array)
        {
            return value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToList();
        }

        if (_body.ContainsKey(name))
        {
            return GetString(name) is { } single ? [single] : [];
        }

        return _query.TryGetValue(name, out var texts) ? texts.OfType<string>().ToList() : [];
    }

    /// <summary>oslo's <c>bool_from_string</c> (not strict): <c>1, t, true, on, y, yes</c> are true, anything else false.</summary>
    public bool GetBool(string name)
    {
        if (_body.TryGetValue(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        return GetString(name)?.Trim().ToLowerInvariant() is "1" or "t" or "true" or "on" or "y" or "yes";
    }

    /// <summary>An integer parameter, <c>null</c> when absent.</summary>
    public int? GetInt(string name, int min)
    {
        var text = GetString(name);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min)
        {
            return value;
        }

        // Beyond int: as large as it gets (Vitrage does min(int(limit), 10000), and Python's int has no bound).
        return System.Numerics.BigInteger.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big) && big > int.MaxValue
            ? int.MaxValue
            : throw ApiException.BadRequest($"Parameter {name} = '{text}': expected an integer of at least {min}.");
    }

    /// <summary>Vitrage's <c>query</c>: a JSON string holding the query (an object is taken as it is).</summary>
    /// <exception cref="ApiException">400 naming what is wrong with the query.</exception>
    public VertexPredicate? GetQuery(string name = "query")
    {
        try
        {
            if (_body.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                return QueryParser.Parse(value);
            }

            return GetString(name) is { } text && !string.IsNullOrWhiteSpace(text) ? QueryParser.Parse(text) : null;
        }
        catch (QueryException e)
        {
            throw ApiException.BadRequest($"Invalid query: {e.Message}");
        }
    }
}
