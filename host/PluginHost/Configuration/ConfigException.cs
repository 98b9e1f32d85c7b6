namespace PluginHost.Configuration;

/// <summary>The configuration cannot be used; every message names where and what (exit code 2).</summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public ConfigException(string error)
        : this([error])
    {
    }

    public IReadOnlyList<string> Errors { get; }
}
