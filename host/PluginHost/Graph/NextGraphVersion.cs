using System.Collections.Immutable;

namespace PluginHost.Graph;

/// <summary>
/// Makes the version that follows another from the views that changed: its vertex map, its
/// <c>vitrage_id</c> map and its resource index, side by side when there are many changes.
/// A graph read once (<c>snapshot</c>) may leave the two lookups to be made when first read: it
/// reads neither, and those of a cold 65,000-node graph (133,000 vertices) cost it 0.3-0.6 s. Such
/// a lazy version holds the views its changes replaced until then, so <c>run</c>, whose next
/// publication may be ten minutes away, makes them at once.
/// </summary>
internal static class NextGraphVersion
{
    /// <summary>
    /// From this many changes the maps are made on the thread pool side by side (and a publication
    /// freezes its vertices there in pieces of <see cref="ParallelRange"/>). A cold 65,000-node
    /// graph's one publication spent 0.5-0.8 s on them on the graph processor's thread while the
    /// other core idled; a steady snapshot's publications (a few changes) would only pay the
    /// hand-over.
    /// </summary>
    public const int ParallelFrom = 4_096;

    /// <summary>How many changes one piece of such parallel work takes.</summary>
    public const int ParallelRange = 1_024;

    public static GraphVersion Make(GraphVersion previous, ArraySegment<VertexChange> changes, DateTimeOffset publishedAt, bool lookupsWhenRead)
    {
        ImmutableDictionary<string, VertexView>? vertices = null;
        ImmutableDictionary<string, string>? ids = null;
        ResourceIndex? resources = null;

        // A lazy version's lookups start from the earlier version's, which are made here if no
        // reader made them: no version waits on a chain of earlier ones.
        Run(changes.Count,
            () => vertices = Vertices(previous.Vertices, changes),
            () => ids = lookupsWhenRead ? previous.KeysByVitrageId : KeysByVitrageId(previous.KeysByVitrageId, changes),
            () => resources = lookupsWhenRead ? previous.Resources : Resources(previous.Resources, changes));

        var number = previous.Number + 1;
        return lookupsWhenRead
            ? new GraphVersion(number, publishedAt, vertices!, () => KeysByVitrageId(ids!, changes), () => Resources(resources!, changes))
            : new GraphVersion(number, publishedAt, vertices!, ids!, resources!);
    }

    private static void Run(int changes, params Action[] parts)
    {
        if (changes >= ParallelFrom)
        {
            Parallel.Invoke(parts);
            return;
        }

        foreach (var part in parts)
        {
            part();
        }
    }

    private static ImmutableDictionary<string, VertexView> Vertices(ImmutableDictionary<string, VertexView> previous, ArraySegment<VertexChange> changes)
    {
        var vertices = previous.ToBuilder();
        foreach (var (key, _, after) in changes)
        {
            if (after is null)
            {
                vertices.Remove(key);
            }
            else
            {
                vertices[key] = after;
            }
        }

        return vertices.ToImmutable();
    }

    // A key keeps its vitrage_id (it is made from the key) but for an alarm raised again (made from
    // its key and start), so only new and purged keys and such alarms change the map.
    private static ImmutableDictionary<string, string> KeysByVitrageId(ImmutableDictionary<string, string> previous, ArraySegment<VertexChange> changes)
    {
        ImmutableDictionary<string, string>.Builder? ids = null;
        foreach (var (key, before, after) in changes)
        {
            if (before is not null && !string.Equals(before.VitrageId, after?.VitrageId, StringComparison.Ordinal))
            {
                (ids ??= previous.ToBuilder()).Remove(before.VitrageId);
            }

            if (after is not null && !string.Equals(before?.VitrageId, after.VitrageId, StringComparison.Ordinal))
            {
                (ids ??= previous.ToBuilder())[after.VitrageId] = key;
            }
        }

        return ids?.ToImmutable() ?? previous;
    }

    private static ResourceIndex Resources(ResourceIndex previous, ArraySegment<VertexChange> changes)
    {
        var resources = previous.ToBuilder();
        foreach (var (_, before, after) in changes)
        {
            resources.Replace(before, after);
        }

        return resources.ToImmutable();
    }
}
