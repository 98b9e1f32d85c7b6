namespace PluginHost.Contracts;

/// <summary>How a datasource reports changes between snapshots (Vitrage's <c>update_method</c>).</summary>
public enum UpdateMethod
{
    /// <summary>Only snapshots.</summary>
    None,

    /// <summary>The host asks <see cref="IChangesDriver"/> every <c>changes_interval</c> seconds.</summary>
    Pull,

    /// <summary>The driver streams changes itself through <see cref="IChangesDriver"/>.</summary>
    Push,
}
