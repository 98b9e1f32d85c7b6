namespace PluginHost.Graph;

/// <summary>
/// What one publication changes for one key: the view the previous version holds
/// (<see cref="Before"/>; absent: the key is new to it) and the one the next version holds
/// (<see cref="After"/>; absent: the vertex was purged).
/// </summary>
internal readonly record struct VertexChange(string Key, VertexView? Before, VertexView? After);
