namespace PluginHost.Contracts;

/// <summary>Why a datasource reported an event (Vitrage's <c>vitrage_datasource_action</c>).</summary>
public enum DatasourceAction
{
    /// <summary>The first full listing after the host starts.</summary>
    InitSnapshot,

    /// <summary>A periodic full listing.</summary>
    Snapshot,

    /// <summary>A change reported between snapshots (pull or push).</summary>
    Update,
}
