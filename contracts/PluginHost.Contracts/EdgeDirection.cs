namespace PluginHost.Contracts;

/// <summary>Which way an edge between an update's vertex and one of its neighbors points.</summary>
public enum EdgeDirection
{
    /// <summary>vertex → neighbor, e.g. cluster <c>comprised</c> instance.</summary>
    FromVertex,

    /// <summary>neighbor → vertex, e.g. instance <c>contains</c> node.</summary>
    ToVertex,
}
