namespace PluginHost.Contracts;

/// <summary>
/// A driver failure whose message already says everything an operator needs (which server, what
/// went wrong, what to do); the host logs the message without a stack trace. The message must not
/// contain secrets.
/// </summary>
public sealed class DatasourceException : Exception
{
    /// <summary>Creates the exception with its complete, secret-free message.</summary>
    /// <param name="message">What is wrong, where, and what to do.</param>
    public DatasourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and the error that caused it.</summary>
    /// <param name="message">What is wrong, where, and what to do.</param>
    /// <param name="innerException">The underlying error (kept for the debug log).</param>
    public DatasourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
