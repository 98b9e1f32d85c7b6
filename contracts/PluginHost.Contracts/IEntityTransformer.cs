namespace PluginHost.Contracts;

/// <summary>
/// Turns one event into a graph update. Must be a pure function of the event: no I/O, no clock,
/// no state, safe to call from any thread.
/// </summary>
public interface IEntityTransformer
{
    EntityUpdate Transform(DatasourceEvent datasourceEvent);
}
