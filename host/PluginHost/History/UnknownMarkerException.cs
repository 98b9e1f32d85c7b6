namespace PluginHost.History;

/// <summary>
/// A page was asked after (or before) a <c>marker</c> that names no row the caller may see: the id
/// is wrong, belongs to another project, or its row aged out of the history since the previous page.
/// Vitrage then serves the first page again (its marker lookup finds nothing and paginates from the
/// start), so a script paging until an empty page loops for ever; an empty page instead would end it
/// early, as if the history ended there. Either way the caller never learns its marker is no good.
/// </summary>
internal sealed class UnknownMarkerException(string marker)
    : Exception($"Parameter marker = '{marker}' names no alarm of the history you may see (a wrong id, or its row aged out since the previous page): ask again without marker for the first page.")
{
    public string Marker { get; } = marker;
}
