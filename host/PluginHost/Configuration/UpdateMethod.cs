namespace PluginHost.Configuration;

/// <summary>How a datasource reports changes between snapshots (Vitrage's <c>update_method</c>).</summary>
internal enum UpdateMethod
{
    /// <summary>Only snapshots.</summary>
    None,

    /// <summary>The host asks <c>IChangesDriver</c> every <c>changes_interval</c> seconds.</summary>
    Pull,

    /// <summary>The driver streams changes itself through <c>IChangesDriver</c>.</summary>
    Push,
}
