namespace PluginHost.Contracts;

/// <summary>
/// The datasource's configuration cannot work (missing kubeconfig, unknown context, ...). The host
/// reports the message as a configuration error (exit code 2). The message must name what is wrong
/// and where, and must not contain secrets.
/// </summary>
public sealed class DatasourceConfigurationException : Exception
{
    public DatasourceConfigurationException(string message)
        : base(message)
    {
    }

    public DatasourceConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
