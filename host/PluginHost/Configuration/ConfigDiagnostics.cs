namespace PluginHost.Configuration;

/// <summary>Errors (the config cannot be used) and warnings (it can, but something looks off).</summary>
internal sealed class ConfigDiagnostics
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _debug = [];

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    public IReadOnlyList<string> Debug => _debug;

    public void Error(string message) => _errors.Add(message);

    public void Warning(string message) => _warnings.Add(message);

    public void Info(string message) => _debug.Add(message);

    public void ThrowIfErrors()
    {
        if (_errors.Count > 0)
        {
            throw new ConfigException(_errors.ToArray());
        }
    }
}
