namespace PluginHost.Contracts;

/// <summary>
/// The datasource's configuration cannot work (missing kubeconfig, unknown context, ...). The host
/// reports the message as a configuration error (exit code 2). The message must name what is wrong
/// and where, and must not contain secrets.
/// </summary>
public sealed class DatasourceConfigurationException : Exception
{
    /// <summary>Creates the exception with its complete, secret-free message.</summary>
    /// <param name="message">What is wrong, where, and what to do.</param>
    public DatasourceConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and the error that caused it.</summary>
    /// <param name="message">What is wrong, where, and what to do.</param>
    /// <param name="innerException">The underlying error (kept for the debug log).</param>
    public DatasourceConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
