namespace PluginHost.Contracts;

/// <summary>
/// A driver failure whose message already says everything an operator needs (which server, what
/// went wrong, what to do); the host logs the message without a stack trace. The message must not
/// contain secrets.
/// </summary>
public sealed class DatasourceException : Exception
{
    public DatasourceException(string message)
        : base(message)
    {
    }

    public DatasourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
