namespace PluginHost.States;

/// <summary>One datasource values file: for one vertex type, each original value (upper case) → its operational value and priority.</summary>
/// <param name="Type">The vertex type it is for: the file name without <c>.yaml</c>.</param>
/// <param name="Category">Its <c>category</c>: <c>RESOURCE</c> or <c>ALARM</c>.</param>
/// <param name="Path">Where it was read from (for logs).</param>
internal sealed record ValuesFile(string Type, string Category, string Path, IReadOnlyDictionary<string, MappedValue> Values);

/// <summary>An original value's operational value and its priority among the type's values.</summary>
internal readonly record struct MappedValue(string Operational, int Priority);
