namespace PluginHost.Api.Query;

/// <summary>A query that is not Vitrage's query language; the message names the problem for a 400 answer.</summary>
internal sealed class QueryException(string message) : Exception(message);
