namespace PluginHost.Contracts;

/// <summary>What an <see cref="EntityUpdate"/> does to the graph.</summary>
public enum GraphAction
{
    /// <summary>Adds the vertex, or updates it when it exists (also promotes a placeholder).</summary>
    Create,

    /// <summary>Same as <see cref="Create"/>; kept apart for logs and notifications.</summary>
    Update,

    /// <summary>Marks the vertex and its edges deleted.</summary>
    Delete,
}
