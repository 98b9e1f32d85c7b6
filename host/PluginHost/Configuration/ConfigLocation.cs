namespace PluginHost.Configuration;

/// <summary>Where a config value was written.</summary>
internal sealed record ConfigLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
